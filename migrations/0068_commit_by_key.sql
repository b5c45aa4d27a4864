-- amend_commit_change joins its few changed stock, reservation and pick-job-line rows one by one on
-- their primary keys. As set joins against jsonb_to_recordset (which the planner takes for 100 rows)
-- they were hash joins over a sequential scan of the whole table: the stock update of a one-line
-- change read every stock row of every tenant (0.6 ms on 1,536 rows, and growing with the catalogue).
-- Edited in place, as 0065 does (its keys unchanged: test/integration/commit-payload.test.ts); fails
-- loudly if a statement it rewrites is no longer there.
DO $migration$
DECLARE
  def text := pg_get_functiondef('amend_commit_change(jsonb)'::regprocedure);
  edits text[][] := ARRAY[
    ARRAY['  n_applied int4;
BEGIN',
          '  n_applied int4;
  item record;
BEGIN'],
    ARRAY['      DELETE FROM reservations x USING jsonb_to_recordset(p->''reservationDeletes'') AS d(line_id text, facility_id text)
      WHERE x.tenant_id = t AND x.order_id = o AND x.line_id = d.line_id AND x.facility_id = d.facility_id;',
          '      FOR item IN SELECT * FROM jsonb_to_recordset(p->''reservationDeletes'') AS d(line_id text, facility_id text) LOOP
        DELETE FROM reservations x
        WHERE x.tenant_id = t AND x.order_id = o AND x.line_id = item.line_id AND x.facility_id = item.facility_id;
      END LOOP;'],
    ARRAY['      UPDATE stock s SET reserved = s.reserved + d.delta
      FROM jsonb_to_recordset(p->''stockDeltas'') AS d(facility_id text, sku text, delta int4)
      WHERE s.tenant_id = t AND s.facility_id = d.facility_id AND s.sku = d.sku;',
          '      FOR item IN SELECT * FROM jsonb_to_recordset(p->''stockDeltas'') AS d(facility_id text, sku text, delta int4) LOOP
        UPDATE stock s SET reserved = s.reserved + item.delta
        WHERE s.tenant_id = t AND s.facility_id = item.facility_id AND s.sku = item.sku;
      END LOOP;'],
    ARRAY['      DELETE FROM pick_job_lines x USING jsonb_to_recordset(p->''pickJobLineDeletes'') AS d(pick_job_id text, line_id text)
      WHERE x.tenant_id = t AND x.pick_job_id = d.pick_job_id AND x.line_id = d.line_id;',
          '      FOR item IN SELECT * FROM jsonb_to_recordset(p->''pickJobLineDeletes'') AS d(pick_job_id text, line_id text) LOOP
        DELETE FROM pick_job_lines x
        WHERE x.tenant_id = t AND x.pick_job_id = item.pick_job_id AND x.line_id = item.line_id;
      END LOOP;']
  ];
  i int;
BEGIN
  FOR i IN 1 .. array_length(edits, 1) LOOP
    IF position(edits[i][1] IN def) = 0 THEN
      RAISE EXCEPTION 'amend_commit_change no longer has the statement this migration edits: %', edits[i][1];
    END IF;
    def := replace(def, edits[i][1], edits[i][2]);
  END LOOP;
  EXECUTE def;
END $migration$;

-- A pick job's lines live in the job's row (a jsonb array of {line_id, quantity, picked}). A line edit
-- replaces the open pick job (API.md §7.6): as rows of their own, the new job of a 200-line order wrote
-- 200 rows, each with its primary-key entry and its foreign-key check (4.5 ms, most of what a change of
-- a 200-line order costs more than one of a 5-line order). Now the new job is one row, and the old
-- job's cancel keeps its lines' stored value untouched.
ALTER TABLE pick_jobs ADD COLUMN lines jsonb NOT NULL DEFAULT '[]'
  -- As the table's checks were: quantities never negative, never more picked than asked.
  CONSTRAINT pick_job_lines_picked_within_quantity
  CHECK (NOT jsonb_path_exists(lines, '$[*] ? (@.picked > @.quantity || @.picked < 0 || @.quantity < 0)'));
UPDATE pick_jobs j SET lines = x.lines
FROM (SELECT tenant_id, pick_job_id,
        jsonb_agg(jsonb_build_object('line_id', line_id, 'quantity', quantity, 'picked', picked)
          ORDER BY line_id COLLATE "C") AS lines
      FROM pick_job_lines GROUP BY tenant_id, pick_job_id) x
WHERE j.tenant_id = x.tenant_id AND j.id = x.pick_job_id;
DROP TABLE pick_job_lines;

-- amend_commit_change writes a job's lines with its row; a job whose lines stay as they were is sent
-- without them (read as jsonb 'null', which keeps the stored lines). Edited in place, as 0065 does.
DO $migration$
DECLARE
  def text := pg_get_functiondef('amend_commit_change(jsonb)'::regprocedure);
  edits text[][] := ARRAY[
    ARRAY['      INSERT INTO pick_jobs SELECT * FROM jsonb_populate_recordset(NULL::pick_jobs, p->''pickJobs'')
        ON CONFLICT (tenant_id, id) DO UPDATE SET status = EXCLUDED.status, sub_status = EXCLUDED.sub_status,
          assignee_id = EXCLUDED.assignee_id, facility_id = EXCLUDED.facility_id, updated_at = EXCLUDED.updated_at;',
          '      INSERT INTO pick_jobs (tenant_id, id, order_id, facility_id, status, sub_status, assignee_id, created_at,
          updated_at, lines)
        SELECT r.tenant_id, r.id, r.order_id, r.facility_id, r.status, r.sub_status, r.assignee_id, r.created_at,
          r.updated_at, COALESCE(r.lines, ''null''::jsonb)
        FROM jsonb_populate_recordset(NULL::pick_jobs, p->''pickJobs'') r
        ON CONFLICT (tenant_id, id) DO UPDATE SET status = EXCLUDED.status, sub_status = EXCLUDED.sub_status,
          assignee_id = EXCLUDED.assignee_id, facility_id = EXCLUDED.facility_id, updated_at = EXCLUDED.updated_at,
          lines = CASE WHEN EXCLUDED.lines = ''null''::jsonb THEN pick_jobs.lines ELSE EXCLUDED.lines END;'],
    ARRAY['    IF p ? ''pickJobLineDeletes'' THEN
      FOR item IN SELECT * FROM jsonb_to_recordset(p->''pickJobLineDeletes'') AS d(pick_job_id text, line_id text) LOOP
        DELETE FROM pick_job_lines x
        WHERE x.tenant_id = t AND x.pick_job_id = item.pick_job_id AND x.line_id = item.line_id;
      END LOOP;
    END IF;
    IF p ? ''pickJobLineUpserts'' THEN
      INSERT INTO pick_job_lines SELECT * FROM jsonb_populate_recordset(NULL::pick_job_lines, p->''pickJobLineUpserts'')
      ON CONFLICT (tenant_id, pick_job_id, line_id) DO UPDATE SET quantity = EXCLUDED.quantity, picked = EXCLUDED.picked;
    END IF;
', '']
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

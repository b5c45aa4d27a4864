/**
 * The customer notice a change would send (issue 16), as the server's preview rendered it, with the
 * checkbox that says whether to send it. The checkbox starts at the server's default for these
 * operations; the Edit dialog sends the choice as `notify.customer`.
 */
export interface CustomerNoticeView {
  send: boolean;
  to: string;
  locale: string;
  subject: string;
  text: string;
}

export function CustomerNoticePreview({
  notice,
  checked,
  onChange,
}: {
  notice: CustomerNoticeView;
  checked: boolean;
  onChange: (send: boolean) => void;
}) {
  return (
    <section className="card" aria-labelledby="e-notice">
      <h3 id="e-notice">Customer notice</h3>
      <label className="inline">
        <input
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby="e-notice-to"
        />{' '}
        E-mail the customer about this change
      </label>
      <p id="e-notice-to" className="small muted">
        to {notice.to} · {notice.locale}
      </p>
      <div aria-label="The message" style={checked ? undefined : { opacity: 0.5 }}>
        <p>
          <strong>{notice.subject}</strong>
        </p>
        <pre className="small" style={{ whiteSpace: 'pre-wrap' }}>
          {notice.text}
        </pre>
      </div>
    </section>
  );
}

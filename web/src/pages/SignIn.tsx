/** Sign in with an API key; in demo mode the demo users are offered. */
import { useEffect, useState, type FormEvent } from 'react';

interface DemoKey {
  key: string;
  role: string;
  tenant: string;
  name?: string;
}

export function SignIn({
  onSignIn,
}: {
  onSignIn: (key: string, role?: string, name?: string) => void;
}) {
  const [key, setKey] = useState('');
  const [demo, setDemo] = useState<DemoKey[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetch('/v1/demo/keys')
      .then((r) => (r.ok ? r.json() : { items: [] }))
      .then(
        (d: { items: DemoKey[] }) => setDemo(d.items),
        () => setDemo([]),
      );
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const r = await fetch('/v1/me', { headers: { authorization: `Bearer ${key.trim()}` } });
    if (!r.ok) {
      setError('That key was not accepted. Check it, or ask an admin for one (amend keys create).');
      return;
    }
    const me = (await r.json()) as { role: string };
    onSignIn(key.trim(), me.role);
  };

  return (
    <main className="signin" id="main">
      <div className="card signin-card">
        <h1>Amend</h1>
        <p className="muted">
          Order changes after checkout — validated, applied in one transaction, and answered.
        </p>
        <form onSubmit={submit}>
          <label htmlFor="key">API key</label>
          <input
            id="key"
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            required
          />
          {error && (
            <p className="alert alert-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary">
            Sign in
          </button>
        </form>
        {demo && demo.length > 0 && (
          <section aria-labelledby="demo-users">
            <h2 id="demo-users">Demo users</h2>
            <ul className="demo-users">
              {demo
                .filter((d) => d.tenant === 'demo')
                .map((d) => (
                  <li key={d.key}>
                    <button type="button" onClick={() => onSignIn(d.key, d.role, d.name)}>
                      <strong>{d.name ?? d.key}</strong> <span className="muted">{d.role}</span>
                    </button>
                  </li>
                ))}
            </ul>
          </section>
        )}
      </div>
    </main>
  );
}

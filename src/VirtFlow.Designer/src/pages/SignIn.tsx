import { useState, type FormEvent } from "react";
import { useAuth } from "../app/auth";
import { ErrorLine } from "../shared/ErrorLine";

/** Asks for an API key (`virtflow keys create ...`), checks it with `GET /api/me`, keeps it for this tab. */
export function SignIn() {
  const { signIn, reason } = useAuth();
  const [key, setKey] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(key);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin">
      <form onSubmit={submit} data-testid="signin-form">
        <h1>VirtFlow</h1>
        <label>
          API key
          <input type="password" autoComplete="off" value={key} onChange={e => setKey(e.target.value)} placeholder="vf_…" data-testid="signin-key" autoFocus />
        </label>
        <button type="submit" disabled={busy || key.trim() === ""} data-testid="signin-submit">Sign in</button>
        <ErrorLine error={error ?? reason} testid="signin-error" />
        <p className="hint">Create one with <code>virtflow keys create --role viewer|operator|admin --name NAME</code>. It is kept in this tab only.</p>
      </form>
    </div>
  );
}

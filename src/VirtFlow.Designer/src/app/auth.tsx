import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { setUnauthorizedHandler } from "../api/client";
import { vf } from "../api/endpoints";
import { session } from "../api/session";
import { roles, type Me, type Role } from "../api/types";

export interface Auth {
  me: Me | null;
  /** Whether the caller's role includes `role` (viewer < operator < admin). */
  can(role: Role): boolean;
  signIn(key: string): Promise<void>;
  signOut(): void;
  /** Set when the session ended by itself (the key was revoked or expired). */
  reason: string | null;
}

const AuthContext = createContext<Auth | null>(null);

export function roleIncludes(have: Role | undefined, need: Role): boolean {
  return have !== undefined && roles.indexOf(have) >= roles.indexOf(need);
}

/** Keeps the API key in sessionStorage and the caller's name and role from `GET /api/me`. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => session.get() !== null);
  const [reason, setReason] = useState<string | null>(null);

  const signOut = useCallback(() => {
    session.clear();
    setMe(null);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      session.clear();
      setMe(null);
      setReason("The API key was refused (revoked or expired): sign in again.");
    });
    const key = session.get();
    if (key) {
      vf.me(key)
        .then(m => setMe(m))
        .catch((e: unknown) => {
          session.clear();
          setReason(e instanceof Error ? e.message : String(e));
        })
        .finally(() => setChecking(false));
    }
    return () => setUnauthorizedHandler(null);
  }, []);

  const signIn = useCallback(async (key: string) => {
    const m = await vf.me(key.trim());
    session.set(key.trim());
    setReason(null);
    setMe(m);
  }, []);

  const value = useMemo<Auth>(() => ({ me, can: r => roleIncludes(me?.role, r), signIn, signOut, reason }), [me, signIn, signOut, reason]);
  if (checking) return <div className="boot">Signing in…</div>;
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}

/** Renders its children only when the caller's role includes `role`. */
export function IfRole({ role, children }: { role: Role; children: ReactNode }) {
  return useAuth().can(role) ? <>{children}</> : null;
}

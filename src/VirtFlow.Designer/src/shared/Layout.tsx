import type { ReactNode } from "react";
import { useAuth } from "../app/auth";
import { sections } from "../app/nav";
import { href } from "../app/router";

/** The frame of every page: the navigation bar with the caller and sign-out, then the page. */
export function Layout({ section, children }: { section: string; children: ReactNode }) {
  const { me, signOut } = useAuth();
  return (
    <div className="layout">
      <header className="topbar">
        <span className="brand">VirtFlow</span>
        <nav>
          {sections.map(s => (
            <a key={s.path} href={href("/" + s.path)} className={s.path === section ? "active" : ""} data-testid={`nav-${s.path}`}>
              {s.label}
            </a>
          ))}
        </nav>
        <span className="who" data-testid="whoami">
          {me?.name} <span className={`role role-${me?.role}`} data-testid="role">{me?.role}</span>
        </span>
        <button type="button" onClick={signOut} data-testid="sign-out">Sign out</button>
      </header>
      <main className="page">{children}</main>
    </div>
  );
}

"use client";

import Link from "next/link";
import { useCanEdit, useHydrated, useSession } from "@/lib/use-session";
import styles from "./SignInToEdit.module.css";

/**
 * Where editing controls would be, for a visitor who cannot edit: says why and links to the sign-in page, so
 * read-only never looks like missing features. Renders nothing for editors and before hydration (the session
 * lives in this browser only).
 */
export function SignInToEdit({ what }: { what: string }) {
  const hydrated = useHydrated();
  const session = useSession();
  const canEdit = useCanEdit();
  if (!hydrated || canEdit) return null;
  return (
    <span className={styles.hint}>
      {session ? (
        <>Your key ({session.name}) reads only: {what} needs an editor&apos;s key. </>
      ) : (
        <>
          <Link href="/signin">Sign in to edit</Link>: {what}.
        </>
      )}
    </span>
  );
}

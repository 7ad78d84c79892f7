"use client";

import { useSyncExternalStore } from "react";
import { readSession, subscribeSession, type Session } from "./session";

/** The signed-in session; null during the server render and when signed out. */
export function useSession(): Session | null {
  return useSyncExternalStore(subscribeSession, readSession, () => null);
}

/** Anonymous requests may only read, and analysts' keys are refused on mutations: neither sees editing controls. */
export function useCanEdit(): boolean {
  const role = useSession()?.role;
  return role === "EDITOR" || role === "ADMIN";
}

const noChanges = () => () => undefined;

/** False in the server render and until hydration ends: a control whose handler is not attached yet says so. */
export function useHydrated(): boolean {
  return useSyncExternalStore(noChanges, () => true, () => false);
}

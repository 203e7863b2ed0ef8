/**
 * Who is logged in: `GET /api/v1/auth/me` once at start, again after login and after changes
 * that alter the answer. A 401 from any call (session expired) returns the console to login.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, data, onSessionLost } from '../api/client.js';
import type { paths } from '../api/schema.js';

/** The `me` answer: the user, their enterprise and their permissions. */
export type Me = paths['/api/v1/auth/me']['get']['responses'][200]['content']['application/json'];

/** A role, as the server names it. */
export type Role = Me['user']['role'];

interface Session {
  /** undefined while loading; null when nobody is logged in. */
  readonly me: Me | null | undefined;
  /** Reads `me` again (after login, registration, submitting for review …). */
  readonly refresh: () => Promise<void>;
  readonly logout: () => Promise<void>;
  /** Whether the user has a permission from the grants table. */
  readonly can: (permission: string) => boolean;
}

const SessionContext = createContext<Session | undefined>(undefined);

/** Loads and provides the session. */
export function SessionProvider({ children }: { readonly children: ReactNode }): ReactNode {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      setMe(await data(api.GET('/api/v1/auth/me')));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setMe(null);
      else throw error;
    }
  }, []);
  const logout = useCallback(async () => {
    await api.POST('/api/v1/auth/logout');
    setMe(null);
  }, []);
  useEffect(() => {
    void refresh();
    return onSessionLost(() => setMe(null));
  }, [refresh]);
  const value = useMemo<Session>(
    () => ({ me, refresh, logout, can: (p) => me?.permissions.includes(p) === true }),
    [me, refresh, logout],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}

/** The session. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The session of a screen behind login: `me` is there. */
export function useMe(): Me {
  const { me } = useSession();
  if (me === undefined || me === null) throw new Error('useMe on a screen outside the logged-in shell');
  return me;
}

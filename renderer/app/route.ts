/** Hash routes: the same URLs in Electron (file://) and browser mode, with no server routing. */
import { useEffect, useState } from 'react';

export type Route =
  /** `joining`: the incident list with its "Join incident" form open (#/join). */
  | { screen: 'incidents'; joining?: boolean }
  | { screen: 'incident'; incidentId: string }
  | { screen: 'wall'; incidentId: string | null }
  /** Response metrics across incidents (#/review). */
  | { screen: 'review' }
  | { screen: 'directory' };

export function parseRoute(hash: string): Route {
  const [, screen, id] = hash.replace(/^#/, '').split('/');
  if (screen === 'incident' && id) return { screen: 'incident', incidentId: decodeURIComponent(id) };
  if (screen === 'wall') return { screen: 'wall', incidentId: id ? decodeURIComponent(id) : null };
  if (screen === 'directory') return { screen: 'directory' };
  if (screen === 'join') return { screen: 'incidents', joining: true };
  if (screen === 'review') return { screen: 'review' };
  return { screen: 'incidents' };
}

export const incidentHref = (incidentId: string): string => `#/incident/${encodeURIComponent(incidentId)}`;
export const JOIN_HREF = '#/join';
export const REVIEW_HREF = '#/review';
export const DIRECTORY_HREF = '#/directory';
export const wallHref = (incidentId: string): string => `#/wall/${encodeURIComponent(incidentId)}`;

export function navigate(hash: string): void {
  window.location.hash = hash;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/**
 * The renderer's api contract over a real core in the same process (DESIGN.md §3): what component
 * tests render against, on a temporary SQLite file. Results cross a structured clone, as over IPC.
 */
import type { ApiEvent } from '../../shared/api';
import { READ_METHODS } from '../../shared/api';
import { SitrepError } from '../../shared/errors';
import type { Core } from '../../electron/core/core';
import type { ConsoleApi } from '../../renderer/api/console-api';

export function inProcessApi(core: Core, access: 'write' | 'read' = 'write'): ConsoleApi {
  return {
    access,
    async invoke(method, args) {
      if (access === 'read' && !READ_METHODS.has(method)) throw new SitrepError('read-only', `${method} is not allowed in a read-only view`);
      return structuredClone(await core.invoke(method, args));
    },
    subscribe(listener: (event: ApiEvent) => void) {
      return core.subscribe((event) => queueMicrotask(() => listener(event)));
    },
  };
}

/** The api contract through Electron's preload bridge (`window.sitrep`). */
import type { ApiEvent, SitrepApi } from '../../shared/api';
import { SitrepError, type ErrorCode } from '../../shared/errors';
import type { ConsoleApi } from './console-api';

declare global {
  interface Window {
    sitrep?: {
      invoke(method: string, args: unknown): Promise<unknown>;
      subscribe(listener: (event: ApiEvent) => void): () => void;
      readonly access?: 'write' | 'read';
    };
  }
}

export function electronApi(bridge: NonNullable<Window['sitrep']>): ConsoleApi {
  const invoke: SitrepApi['invoke'] = async (method, args) => {
    try {
      return (await bridge.invoke(method, args)) as never;
    } catch (error) {
      const e = error as { code?: ErrorCode; message?: string; details?: string[] };
      throw new SitrepError(e.code ?? 'internal', e.message ?? String(error), e.details ?? []);
    }
  };
  return { access: bridge.access ?? 'write', invoke, subscribe: (listener) => bridge.subscribe(listener) };
}

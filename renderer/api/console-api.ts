/** What the renderer holds: the api contract plus the access this view was opened with. */
import type { SitrepApi } from '../../shared/api';

export interface ConsoleApi extends SitrepApi {
  /** 'read' for the wall display and read links: the UI hides what it cannot do. */
  readonly access: 'write' | 'read';
}

/** The one way commands refuse a call whose arguments parse but make no sense for this incident. */
import { SitrepError } from '../../../shared/errors';

export const invalid = (path: string, message: string): SitrepError =>
  new SitrepError('invalid-argument', `${path}: ${message}`, [`${path}: ${message}`]);

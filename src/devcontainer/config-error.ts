// Every problem with a dev container configuration is reported the same way: exit code 2, code
// DEVCONTAINER_CONFIG, and the message starts with where it is (a file, or file:line:column).

import { OnaBuildError } from '../errors.js';

export const CONFIG_ERROR_CODE = 'DEVCONTAINER_CONFIG';

export function configError(where: string, message: string): OnaBuildError {
  return new OnaBuildError(`${where}: ${message}`, CONFIG_ERROR_CODE, 2);
}

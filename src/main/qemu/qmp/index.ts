export { QmpClient } from './client';
export type { QmpClosedInfo, QmpConnectOptions, QmpExecuteOptions, QmpState, QmpWaitOptions } from './client';
export {
  QmpClientError,
  QmpConnectError,
  QmpDisconnectedError,
  QmpError,
  QmpProtocolError,
  QmpTimeoutError,
} from './errors';
export { QmpEventStream } from './events';
export type { EventStreamOptions } from './events';
export type { QemuVersion, QmpEvent, QmpGreeting } from './models';

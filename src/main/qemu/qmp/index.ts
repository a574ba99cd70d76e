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
export { QMP_TRACE_ENV, QMP_TRACE_FILE, qmpTraceFromEnv } from './trace';
export type { QmpTrace, QmpTraceOptions } from './trace';
export type { EventStreamOptions } from './events';
export type { QemuVersion, QmpEvent, QmpGreeting } from './models';

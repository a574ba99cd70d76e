// The recovery download reports progress with the shared meter every download uses.
export { ProgressMeter, type DownloadProgress } from '../../download/progress';

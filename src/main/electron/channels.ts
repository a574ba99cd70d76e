// The only two IPC channel names, shared by the preload and the main-process binding.
export const CALL_CHANNEL = 'guestbay:call';
export const EVENT_CHANNEL = 'guestbay:event';

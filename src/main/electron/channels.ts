// The only IPC channel names, shared by the preload and the main-process binding.
export const CALL_CHANNEL = 'guestbay:call';
export const EVENT_CHANNEL = 'guestbay:event';
/** A guest's screen: the renderer sends a MessagePort with a ticket from display.open (src/main/electron/display-port.ts). */
export const DISPLAY_CHANNEL = 'guestbay:display';

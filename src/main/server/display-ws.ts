// A guest's screen over the headless server's WebSocket: binary frames both ways, the
// WebSocket's close code and reason telling the view why it ended (see DISPLAY_CLOSE).
import type { RawData, WebSocket } from 'ws';
import type { DisplayChannel } from '../display/bridge';

export function wsDisplayChannel(ws: WebSocket): DisplayChannel {
  ws.on('error', () => {}); // 'close' follows
  return {
    send(data, done) {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(data, { binary: true }, () => done?.());
    },
    onData(fn) {
      ws.on('message', (raw: RawData, isBinary: boolean) => {
        if (!isBinary) return; // the view speaks RFB only
        if (Buffer.isBuffer(raw)) fn(raw);
        else if (raw instanceof ArrayBuffer) fn(new Uint8Array(raw));
        else fn(Buffer.concat(raw));
      });
    },
    onClose(fn) {
      ws.on('close', fn);
    },
    close(code, reason) {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason.slice(0, 120));
    },
  };
}

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from './Root';
import { createAppStore } from './store';
import { defaultClient } from './transport';
import './styles.css';

// Listening and the first listing start here, before React's first render: the socket opens and
// `guests.list` is on its way while the shell renders, instead of after it (an effect runs only
// once the first frame is committed). Listening first, so no change made meanwhile is missed.
const client = defaultClient();
const store = createAppStore(client);
store.connect();
void store.getState().loadFirst();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root client={client} store={store} />
  </StrictMode>,
);

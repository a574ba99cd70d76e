import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from './Root';
import { defaultClient } from './transport';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root client={defaultClient()} />
  </StrictMode>,
);

import { createRoot } from 'react-dom/client';
import { electronApi } from './api/electron-api';
import { connectSocketApi } from './api/socket-api';
import { App } from './app/App';
import { applyTheme, loadTheme } from './state/theme-store';
import './styles/app.css';

// At once, so the page does not show dark while the api connects when light was chosen.
applyTheme(loadTheme());

// The same UI in Electron (the preload's bridge) and in browser mode (the api WebSocket).
const root = createRoot(document.getElementById('root') as HTMLElement);
const connecting = window.sitrep ? Promise.resolve(electronApi(window.sitrep)) : connectSocketApi(window.location);
connecting.then(
  (api) => root.render(<App api={api} />),
  (error: Error) => root.render(<p role="alert" className="fatal">{error.message}</p>),
);

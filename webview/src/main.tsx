// Entry of the chat webview bundle (dist/webview.js + dist/webview.css + the codicon font).
import '@vscode/codicons/dist/codicon.css';
import './styles/base.css';
import './styles/cards.css';
import './styles/markdown.css';
import './styles/chats.css';
import { createVsCodeChannel } from './host';
import { setHighlightingDeferred } from './markdown/render';
import { mount } from './mount';

// Rows paint first and their code is coloured when the page is idle (render.ts says why).
setHighlightingDeferred(true);

const container = document.getElementById('root');
if (container) mount(container, createVsCodeChannel());

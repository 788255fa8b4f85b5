// Entry of the chat webview bundle (dist/webview.js + dist/webview.css + the codicon font).
import '@vscode/codicons/dist/codicon.css';
import './styles/base.css';
import './styles/cards.css';
import './styles/markdown.css';
import { createVsCodeChannel } from './host';
import { mount } from './mount';

const container = document.getElementById('root');
if (container) mount(container, createVsCodeChannel());

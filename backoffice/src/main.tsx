/** The back office's entry: styles, in-app link routing, and the app in #app. */
import { render } from 'preact';
import './app.css';
import { App } from './app';
import { interceptLinks } from './lib/router';

interceptLinks();
render(<App />, document.getElementById('app')!);

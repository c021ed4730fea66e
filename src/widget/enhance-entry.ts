// The enhancements as the browser loads them: the module and its stylesheet. (The server
// renders the views after the form from enhance.ts itself, without the stylesheet import.)
import './later.css';

export * from './enhance.ts';

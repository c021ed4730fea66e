// Hydrates the server-rendered page with the data the server embedded in it.
import { hydrate } from 'preact';
import type { PageData } from '../contract/page.ts';
import { App } from './app.tsx';
import { loadEnhance, type Enhance } from './net.ts';
import './page.css';

const data = JSON.parse(document.getElementById('page-data')!.textContent!) as PageData;
const start = (enhance: Enhance | null) => {
  // The bank <option>s and the language links stay as the server rendered them; see BankPicker.
  hydrate(<App data={data} bankOptions="" languages="" enhance={enhance} />, document.getElementById('app')!);
  // In a merchant's frame or an app's WebView: tell the host what happens, once the enhancements are here
  // (before the views' effects run, when they came first).
  if (enhance) embed(enhance);
  else loadEnhance(data.enhanceUrl).then(embed, () => {});
};
const embed = (enhance: Enhance) => data.embed && enhance.startEmbedding(data.embed);

// Past the form, the views come with the enhancements: hydrate once they are here. The form
// is hydrated in a task of its own, after this module's (two shorter tasks block a phone less).
if (data.view.kind === 'form') setTimeout(start, 0, null);
else loadEnhance(data.enhanceUrl).then(start);

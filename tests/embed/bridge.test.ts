// The form's messenger, against stand-in windows: who it talks to, what it says, and what
// it ignores. (The same code runs in Chromium in tests/e2e/embed.*.spec.ts.)
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectHost, toMessage, type FormEvent } from '../../src/embed/bridge.ts';

type Listener = (e: any) => void;
interface Posted {
  message: any;
  targetOrigin: string;
}

/** Just enough of a window for the bridge: listeners, a parent, a body of some height. */
function fakeWindow(
  opts: { framed?: boolean; ancestor?: string; referrer?: string; extra?: Record<string, unknown> } = {},
) {
  const listeners: Record<string, Listener[]> = {};
  const posted: Posted[] = [];
  const parent = { postMessage: (message: any, targetOrigin: string) => posted.push({ message, targetOrigin }) };
  let height = 500;
  const win: any = {
    addEventListener: (type: string, fn: Listener) => (listeners[type] ??= []).push(fn),
    removeEventListener: (type: string, fn: Listener) =>
      (listeners[type] = (listeners[type] ?? []).filter((f) => f !== fn)),
    location: { ancestorOrigins: opts.ancestor ? [opts.ancestor] : undefined },
    document: { referrer: opts.referrer ?? '', body: { getBoundingClientRect: () => ({ bottom: height }) } },
    scrollY: 0,
    ...opts.extra,
  };
  win.parent = opts.framed ? parent : win;
  return {
    win,
    parent,
    posted,
    dispatch: (type: string, e: any) => (listeners[type] ?? []).forEach((fn) => fn(e)),
    setHeight: (h: number) => (height = h),
  };
}

let observers: Array<() => void> = [];
beforeEach(() => {
  observers = [];
  (globalThis as any).ResizeObserver = class {
    constructor(private cb: () => void) {}
    observe() {
      observers.push(this.cb);
    }
    disconnect() {}
  };
});
const layoutChanged = () => observers.forEach((cb) => cb());

const SHOP = 'https://shop.example';
const options = (win: any) => ({ win, allowedOrigins: [SHOP, 'https://m.shop.example'], orderNumber: 'ORDER_1' });

describe('connectHost', () => {
  test('a top-level page with no app bridge is not embedded', () => {
    assert.equal(connectHost(options(fakeWindow().win)), null);
  });

  test('in a frame it posts ready and resize to the parent with the exact parent origin', () => {
    const w = fakeWindow({ framed: true, ancestor: SHOP });
    const host = connectHost(options(w.win))!;
    assert.equal(host.mode, 'frame');
    layoutChanged();
    assert.deepEqual(
      w.posted.map((p) => [p.message.type, p.targetOrigin]),
      [
        ['ready', SHOP],
        ['resize', SHOP],
      ],
    );
    assert.equal(w.posted[1]!.message.height, 500);
  });

  test('resize is sent on every height change and only then', () => {
    const w = fakeWindow({ framed: true, ancestor: SHOP });
    connectHost(options(w.win));
    layoutChanged();
    layoutChanged();
    w.setHeight(580.2);
    layoutChanged();
    w.setHeight(500);
    layoutChanged();
    assert.deepEqual(
      w.posted.filter((p) => p.message.type === 'resize').map((p) => p.message.height),
      [500, 581, 500],
    );
  });

  test('never "*": an unknown parent gets each allowed origin exactly (the browser delivers only the true one)', () => {
    const w = fakeWindow({ framed: true, referrer: 'https://elsewhere.example/page' });
    connectHost(options(w.win));
    assert.deepEqual(
      w.posted.map((p) => p.targetOrigin),
      [SHOP, 'https://m.shop.example'],
    );
  });

  test('the referrer names the parent when the browser has no ancestorOrigins', () => {
    const w = fakeWindow({ framed: true, referrer: 'https://m.shop.example/checkout' });
    connectHost(options(w.win));
    assert.deepEqual(
      w.posted.map((p) => p.targetOrigin),
      ['https://m.shop.example'],
    );
  });

  test('hello from the parent on an allowed origin is answered with the height and hands it the navigation', () => {
    const w = fakeWindow({ framed: true, referrer: '' });
    const host = connectHost(options(w.win))!;
    w.posted.length = 0;
    assert.equal(host.parentNavigates, false);
    w.dispatch('message', {
      source: w.parent,
      origin: 'https://m.shop.example',
      data: { source: 'payee-host', type: 'hello' },
    });
    assert.equal(host.parentNavigates, true);
    assert.deepEqual(
      w.posted.map((p) => [p.message.type, p.targetOrigin]),
      [['resize', 'https://m.shop.example']],
    );
  });

  test('messages from another origin, another window or of another shape are ignored', () => {
    const w = fakeWindow({ framed: true, ancestor: SHOP });
    const host = connectHost(options(w.win))!;
    w.posted.length = 0;
    const hello = { source: 'payee-host', type: 'hello' };
    w.dispatch('message', { source: w.parent, origin: 'https://evil.example', data: hello });
    w.dispatch('message', { source: {}, origin: SHOP, data: hello });
    w.dispatch('message', {
      source: w.parent,
      origin: SHOP,
      data: { source: 'payee-host', type: 'navigate', url: 'javascript:alert(1)' },
    });
    w.dispatch('message', { source: w.parent, origin: SHOP, data: 'hello' });
    assert.deepEqual(w.posted, []);
    assert.equal(host.parentNavigates, false);
  });

  test('completed and expired are sent once', () => {
    const w = fakeWindow({ framed: true, ancestor: SHOP });
    const host = connectHost(options(w.win))!;
    const done: FormEvent = {
      type: 'completed',
      orderNumber: 'ORDER_1',
      status: 'success',
      redirectUrl: `${SHOP}/ok?orderNumber=ORDER_1&status=success`,
    };
    host.emit(done);
    host.emit(done);
    assert.equal(w.posted.filter((p) => p.message.type === 'completed').length, 1);
  });

  test('Escape inside the form is reported unless a widget used it', () => {
    const w = fakeWindow({ framed: true, ancestor: SHOP });
    connectHost(options(w.win));
    w.posted.length = 0;
    w.dispatch('keydown', { key: 'Escape', defaultPrevented: true });
    w.dispatch('keydown', { key: 'a', defaultPrevented: false });
    w.dispatch('keydown', { key: 'Escape', defaultPrevented: false });
    assert.deepEqual(
      w.posted.map((p) => p.message.type),
      ['escape'],
    );
  });

  for (const [name, extra] of [
    ['React Native', (sink: string[]) => ({ ReactNativeWebView: { postMessage: (m: string) => sink.push(m) } })],
    [
      'WKWebView',
      (sink: string[]) => ({ webkit: { messageHandlers: { payee: { postMessage: (m: string) => sink.push(m) } } } }),
    ],
    ['Android', (sink: string[]) => ({ PayeeAndroid: { postMessage: (m: string) => sink.push(m) } })],
  ] as const) {
    test(`at the top of a ${name} WebView it sends JSON strings through the app's bridge`, () => {
      const sink: string[] = [];
      const w = fakeWindow({ extra: extra(sink) });
      const host = connectHost(options(w.win))!;
      assert.equal(host.mode, 'native');
      layoutChanged();
      assert.deepEqual(
        sink.map((s) => JSON.parse(s).type),
        ['ready', 'resize'],
      );
      assert.deepEqual(JSON.parse(sink[0]!), { source: 'payee', version: 1, type: 'ready', orderNumber: 'ORDER_1' });
    });
  }

  test('a framed page talks to its parent even when an app bridge is present', () => {
    const sink: string[] = [];
    const w = fakeWindow({
      framed: true,
      ancestor: SHOP,
      extra: { ReactNativeWebView: { postMessage: (m: string) => sink.push(m) } },
    });
    assert.equal(connectHost(options(w.win))!.mode, 'frame');
    assert.deepEqual(sink, []);
  });
});

describe('toMessage', () => {
  test('copies only the fields an event defines, so nothing else can leak', () => {
    const sneaky = {
      type: 'submitted',
      orderNumber: 'ORDER_1',
      method: 'card',
      pan: '4111111111111111',
      phone: '79001234567',
      token: 'x'.repeat(43),
    } as unknown as FormEvent;
    assert.deepEqual(toMessage(sneaky), {
      source: 'payee',
      version: 1,
      type: 'submitted',
      orderNumber: 'ORDER_1',
      method: 'card',
    });
    const error = { type: 'error', code: 'network', message: 'card 4111111111111111 failed' } as unknown as FormEvent;
    assert.deepEqual(toMessage(error), { source: 'payee', version: 1, type: 'error', code: 'network' });
  });
});

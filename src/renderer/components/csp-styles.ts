// xterm.js's DOM renderer writes its theme and cell sizes into <style> elements, which the
// app's CSP (`style-src 'self'`, no 'unsafe-inline') refuses to apply. Constructed stylesheets
// are CSSOM, which the CSP allows: mirror every <style> under `root` into one, kept in sync.
export function mirrorInlineStyles(root: HTMLElement): () => void {
  const doc = root.ownerDocument;
  if (typeof CSSStyleSheet === 'undefined' || !('replaceSync' in CSSStyleSheet.prototype) || !('adoptedStyleSheets' in doc)) return () => undefined;
  const sheets = new Map<HTMLStyleElement, CSSStyleSheet>();
  const sync = () => {
    for (const el of root.querySelectorAll('style')) {
      let sheet = sheets.get(el);
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheets.set(el, sheet);
        doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
      }
      try {
        sheet.replaceSync(el.textContent ?? '');
      } catch {
        // a rule the browser rejects: keep the previous ones
      }
    }
    for (const [el, sheet] of sheets) {
      if (!root.contains(el)) {
        sheets.delete(el);
        doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
      }
    }
  };
  sync();
  const observer = new MutationObserver(sync);
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  return () => {
    observer.disconnect();
    const mine = new Set(sheets.values());
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => !mine.has(s));
  };
}

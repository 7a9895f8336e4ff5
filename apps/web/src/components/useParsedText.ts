// A text field for a value the store keeps parsed (headers, a list of models).
// Re-deriving the text from the parsed value on every keystroke would drop
// what does not parse yet (a header line without its colon, a trailing comma)
// and the caret with it, so the text stays as typed; it is derived again only
// when the value is replaced from outside (another scenario opened).
import { useState } from 'react';

export function useParsedText<T>(value: T, format: (v: T) => string, parse: (text: string) => T) {
  const [text, setText] = useState(() => format(value));
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    if (JSON.stringify(parse(text)) !== JSON.stringify(value)) setText(format(value));
  }
  return [text, setText] as const;
}

// Card brand marks as tiny inline SVGs (no image requests): the two-circle marks drawn,
// the others as their name in the brand's colour.

const CIRCLES: Record<string, [string, string]> = {
  mastercard: ['#eb001b', '#f79e1b'],
  maestro: ['#ed0006', '#0099df'],
};
const WORDS: Record<string, [string, string]> = {
  visa: ['VISA', '#1a1f71'],
  mir: ['МИР', '#0f754e'],
  unionpay: ['UnionPay', '#00447c'],
  jcb: ['JCB', '#0b4ea2'],
  'american-express': ['AMEX', '#2e77bc'],
};

export function BrandIcon({ type, name }: { type: string; name: string }) {
  const circles = CIRCLES[type];
  const [word, color] = WORDS[type] ?? [name, '#333'];
  return (
    <svg class="brand" data-brand={type} viewBox="0 0 34 22" width="34" height="22" role="img" aria-label={name}>
      <rect x=".5" y=".5" width="33" height="21" rx="3" fill="#fff" stroke="#9aa0a6" />
      {circles ? (
        <>
          <circle cx="13.5" cy="11" r="6.5" fill={circles[0]} />
          <circle cx="20.5" cy="11" r="6.5" fill={circles[1]} fill-opacity=".8" />
        </>
      ) : (
        <text
          x="17"
          y="14.5"
          fill={color}
          font-size={word.length > 4 ? 6 : 9.5}
          font-weight="700"
          font-family="Arial,sans-serif"
          text-anchor="middle"
        >
          {word}
        </text>
      )}
    </svg>
  );
}

/**
 * The plain-text part of a branded email, from the same view as the HTML part: every block the
 * HTML shows, links written out after their labels, and the footer's unsubscribe address.
 */
import type { EmailView, ViewBlock } from "./email-view";

export function emailText(view: EmailView): string {
  const sections = view.blocks.map(blockText).filter(Boolean);
  const footer = [
    [view.footer.shopName, view.footer.address].filter(Boolean).join(" · "),
    view.footer.reason,
    `${view.footer.unsubscribe}: ${view.footer.url}`,
  ];
  return `${[...sections, `--\n${footer.join("\n")}`].join("\n\n")}\n`;
}

function blockText(block: ViewBlock): string {
  switch (block.kind) {
    case "header":
      return block.shopName;
    case "heading":
      return block.text;
    case "text":
      return block.pieces
        .map((piece) => (piece.kind === "text" ? piece.value : piece.label))
        .join("");
    case "products":
      return [
        block.title,
        ...block.products.map(
          (product) =>
            `- ${product.title}${product.price ? ` (${product.price})` : ""}: ${product.url}`,
        ),
      ].join("\n");
    case "discount":
      return [`${block.title}: ${block.code}`, block.description, block.expires]
        .filter(Boolean)
        .join("\n");
    case "last_order":
      return [
        `${block.title} ${block.orderName}`,
        ...block.lines.map((line) => `- ${line.title} (${block.quantityLabel} ${line.quantity})`),
      ].join("\n");
    case "button":
      return `${block.label}: ${block.url}`;
  }
}

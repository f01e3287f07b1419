/**
 * The HTML part of a branded email, drawn with react-email.
 *
 * Why react-email and not MJML: the app already renders with React 18, so the email is typed
 * components fed a typed view (email-view.ts) and every customer-supplied string is escaped by
 * React itself, with no second templating language where escaping is done by hand; its
 * components emit the table layouts and inline styles email clients need; and it renders in
 * process in about a millisecond (bench/email-render.ts), with no compiler step or binary,
 * on Node 22 offline. MJML would mean writing markup as strings and escaping each value.
 */
import {
  Body,
  Button,
  Column,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Img,
  Link,
  Preview,
  Row,
  Section,
  Text,
} from "@react-email/components";
import type { CSSProperties } from "react";
import type { Piece } from "../render-template";
import type { EmailView, ViewBlock } from "./email-view";

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const INK = "#202223";
const MUTED = "#6d7175";

// Product cells stack on narrow screens; clients without media queries keep the row.
const RESPONSIVE = `@media only screen and (max-width:480px){.rk-cell{display:block!important;width:100%!important;padding:0 0 16px!important}}`;

export function BrandedEmail({ view }: { view: EmailView }) {
  const title: CSSProperties = { color: view.accentColor, fontSize: "18px", margin: "0 0 12px" };
  return (
    <Html lang={view.language} dir={view.dir}>
      <Head>
        <title>{view.subject}</title>
        <style>{RESPONSIVE}</style>
      </Head>
      <Preview>{view.preheader}</Preview>
      <Body
        style={{ backgroundColor: view.backgroundColor, fontFamily: FONT, color: INK, margin: 0 }}
      >
        <Container
          style={{
            maxWidth: "600px",
            backgroundColor: "#ffffff",
            padding: "24px",
            margin: "0 auto",
          }}
        >
          {view.blocks.map((block) => (
            <Section key={block.kind} style={{ margin: "0 0 24px" }}>
              <BlockContent block={block} accent={view.accentColor} titleStyle={title} />
            </Section>
          ))}
          <Hr style={{ borderColor: "#e1e3e5", margin: "8px 0 16px" }} />
          <Section>
            <Text style={{ fontSize: "12px", color: MUTED, margin: "0 0 4px" }}>
              {view.footer.shopName}
              {view.footer.address ? ` · ${view.footer.address}` : ""}
            </Text>
            <Text style={{ fontSize: "12px", color: MUTED, margin: 0 }}>
              {view.footer.reason}{" "}
              <Link href={view.footer.url} style={{ color: MUTED, textDecoration: "underline" }}>
                {view.footer.unsubscribe}
              </Link>
            </Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

function BlockContent({
  block,
  accent,
  titleStyle,
}: {
  block: ViewBlock;
  accent: string;
  titleStyle: CSSProperties;
}) {
  switch (block.kind) {
    case "header":
      return (
        <Link href={block.url}>
          {block.logoUrl ? (
            <Img src={block.logoUrl} alt={block.shopName} height="48" style={{ height: "48px" }} />
          ) : (
            <Text style={{ fontSize: "20px", fontWeight: 700, color: accent, margin: 0 }}>
              {block.shopName}
            </Text>
          )}
        </Link>
      );
    case "heading":
      return <Heading style={{ fontSize: "24px", margin: 0 }}>{block.text}</Heading>;
    case "text":
      return (
        <>
          {paragraphs(block.pieces).map((paragraph, index) => (
            <Text key={index} style={{ fontSize: "16px", lineHeight: "24px", margin: "0 0 12px" }}>
              {paragraph.map((piece, pieceIndex) =>
                piece.kind === "link" ? (
                  <Link key={pieceIndex} href={piece.href} style={{ color: accent }}>
                    {piece.label}
                  </Link>
                ) : (
                  <span key={pieceIndex} style={{ whiteSpace: "pre-line" }}>
                    {piece.value}
                  </span>
                ),
              )}
            </Text>
          ))}
        </>
      );
    case "products":
      return (
        <>
          <Heading as="h2" style={titleStyle}>
            {block.title}
          </Heading>
          <Row>
            {block.products.map((product) => (
              <Column
                key={product.url}
                className="rk-cell"
                style={{
                  width: `${Math.floor(100 / block.products.length)}%`,
                  padding: "0 6px",
                  verticalAlign: "top",
                }}
              >
                <Link href={product.url} style={{ color: INK, textDecoration: "none" }}>
                  {product.imageUrl && (
                    <Img
                      src={product.imageUrl}
                      alt={product.title}
                      width="100%"
                      style={{ width: "100%", maxWidth: "180px", borderRadius: "4px" }}
                    />
                  )}
                  <Text style={{ fontSize: "14px", margin: "8px 0 0" }}>{product.title}</Text>
                  {product.price && (
                    <Text style={{ fontSize: "14px", fontWeight: 700, margin: "2px 0 0" }}>
                      {product.price}
                    </Text>
                  )}
                </Link>
              </Column>
            ))}
          </Row>
        </>
      );
    case "discount":
      return (
        <Section style={{ border: `2px dashed ${accent}`, padding: "16px", textAlign: "center" }}>
          <Text style={{ fontSize: "14px", color: MUTED, margin: 0 }}>{block.title}</Text>
          <Text
            style={{ fontSize: "24px", fontWeight: 700, letterSpacing: "2px", margin: "4px 0" }}
          >
            {block.code}
          </Text>
          {block.description && (
            <Text style={{ fontSize: "14px", margin: 0 }}>{block.description}</Text>
          )}
          {block.expires && (
            <Text style={{ fontSize: "12px", color: MUTED, margin: "4px 0 0" }}>
              {block.expires}
            </Text>
          )}
        </Section>
      );
    case "last_order":
      return (
        <>
          <Heading as="h2" style={titleStyle}>
            {block.title} {block.orderName}
          </Heading>
          {block.lines.map((line, index) => (
            <Row key={index} style={{ margin: "0 0 8px" }}>
              <Column style={{ width: "56px", verticalAlign: "middle" }}>
                {line.imageUrl && (
                  <Img
                    src={line.imageUrl}
                    alt=""
                    width="48"
                    height="48"
                    style={{ borderRadius: "4px" }}
                  />
                )}
              </Column>
              <Column style={{ verticalAlign: "middle" }}>
                <Text style={{ fontSize: "14px", margin: 0 }}>
                  {line.title} · {block.quantityLabel} {line.quantity}
                </Text>
              </Column>
            </Row>
          ))}
        </>
      );
    case "button":
      return (
        <Button
          href={block.url}
          style={{
            backgroundColor: accent,
            color: "#ffffff",
            padding: "12px 24px",
            borderRadius: "4px",
            fontSize: "16px",
            fontWeight: 700,
          }}
        >
          {block.label}
        </Button>
      );
  }
}

/** Blank lines separate paragraphs, as in the plain-text body the merchant wrote. */
function paragraphs(pieces: readonly Piece[]): Piece[][] {
  const result: Piece[][] = [[]];
  for (const piece of pieces) {
    if (piece.kind === "link") {
      result[result.length - 1]?.push(piece);
      continue;
    }
    const parts = piece.value.split(/\n[ \t]*\n\s*/);
    parts.forEach((part, index) => {
      if (index > 0) result.push([]);
      if (part) result[result.length - 1]?.push({ kind: "text", value: part });
    });
  }
  return result.filter((paragraph) => paragraph.length > 0);
}

// Draws the RootAPI mark (the white "R" on the indigo tile of components/portal/logo.tsx) once,
// as geometry, and writes it as app/icon.svg, app/apple-icon.png and app/favicon.ico, so the three
// always agree. Run after changing the mark: node scripts/generate-icons.mjs
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const INDIGO = [0x4f, 0x46, 0xe5]; // Tailwind indigo-600, as in the logo
const WHITE = [0xff, 0xff, 0xff];
const GRID = 32; // the mark is drawn on a 32×32 grid
const CORNER = 7;

// The "R": stem, the two bars of the bowl, the bowl's round end, the leg.
const RECTS = [
  { x: 10, y: 8, w: 3.6, h: 16 },
  { x: 10, y: 8, w: 6, h: 3.2 },
  { x: 10, y: 15, w: 6, h: 3.2 },
];
const BOWL = { cx: 16, cy: 13.1, outer: 5.1, inner: 1.9 };
const LEG = [
  [14.6, 16.6],
  [18.4, 16.6],
  [22.6, 24],
  [18.8, 24],
];

function insideTile(x, y) {
  const dx = Math.max(CORNER - x, 0, x - (GRID - CORNER));
  const dy = Math.max(CORNER - y, 0, y - (GRID - CORNER));
  return dx * dx + dy * dy <= CORNER * CORNER;
}

function insideConvex(points, x, y) {
  let sign = 0;
  for (let i = 0; i < points.length; i++) {
    const [ax, ay] = points[i];
    const [bx, by] = points[(i + 1) % points.length];
    const cross = Math.sign((bx - ax) * (y - ay) - (by - ay) * (x - ax));
    if (cross !== 0 && sign !== 0 && cross !== sign) return false;
    if (cross !== 0) sign = cross;
  }
  return true;
}

function insideLetter(x, y) {
  if (RECTS.some((r) => x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h)) return true;
  const d = Math.hypot(x - BOWL.cx, y - BOWL.cy);
  if (x >= BOWL.cx && d <= BOWL.outer && d >= BOWL.inner) return true;
  return insideConvex(LEG, x, y);
}

function svg() {
  const n = (v) => Number(v.toFixed(2));
  const { cx, cy, outer, inner } = BOWL;
  const bowl = `M${cx} ${n(cy - outer)}A${outer} ${outer} 0 0 1 ${cx} ${n(cy + outer)}V${n(cy + inner)}A${inner} ${inner} 0 0 0 ${cx} ${n(cy - inner)}Z`;
  const rects = RECTS.map((r) => `M${r.x} ${r.y}h${r.w}v${r.h}h-${r.w}Z`).join("");
  const leg = `M${LEG.map(([x, y]) => `${x} ${y}`).join("L")}Z`;
  const hex = (c) => `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${GRID} ${GRID}"><rect width="${GRID}" height="${GRID}" rx="${CORNER}" fill="${hex(INDIGO)}"/><path fill="${hex(WHITE)}" d="${rects}${bowl}${leg}"/></svg>\n`;
}

/** RGBA pixels at `size`×`size`, each averaged over 4×4 samples for smooth edges. */
function raster(size, { fullBleed = false } = {}) {
  const pixels = Buffer.alloc(size * size * 4);
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let tile = 0;
      let letter = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = ((px + (sx + 0.5) / S) / size) * GRID;
          const y = ((py + (sy + 0.5) / S) / size) * GRID;
          if (fullBleed || insideTile(x, y)) {
            tile++;
            if (insideLetter(x, y)) letter++;
          }
        }
      }
      const o = (py * size + px) * 4;
      const mix = tile ? letter / tile : 0;
      for (let c = 0; c < 3; c++) pixels[o + c] = Math.round(INDIGO[c] * (1 - mix) + WHITE[c] * mix);
      pixels[o + 3] = Math.round((tile / (S * S)) * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size, options) {
  const pixels = raster(size, options);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

/** An .ico holding PNG images (every browser since IE 11 reads them). */
function ico(sizes) {
  const images = sizes.map((size) => png(size));
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((size, i) => {
    const entry = 6 + 16 * i;
    header[entry] = size % 256;
    header[entry + 1] = size % 256;
    header.writeUInt16LE(1, entry + 4); // planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(images[i].length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += images[i].length;
  });
  return Buffer.concat([header, ...images]);
}

const app = new URL("../app/", import.meta.url);
writeFileSync(new URL("icon.svg", app), svg());
// iOS rounds the corners itself and shows transparency as black: the tile fills the square.
writeFileSync(new URL("apple-icon.png", app), png(180, { fullBleed: true }));
writeFileSync(new URL("favicon.ico", app), ico([16, 32, 48]));

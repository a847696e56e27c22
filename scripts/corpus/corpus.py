#!/usr/bin/env python3
"""Helpers of scripts/make-corpus.sh (standard library only, deterministic, no timestamps).

  corpus.py html FILE...            HTML -> plain text (tags stripped, entities decoded), to stdout
  corpus.py info FILE...            GNU info (.info / .info.gz) -> plain text, to stdout
  corpus.py rdb FILE.rdb            character vectors of an R lazy-load database, one element a line
  corpus.py assemble OUTDIR BLOCK EVERY NAME:CAP:FILE...
                                    normalise each source, cap it, cut it into BLOCK-byte blocks at
                                    line ends, interleave the sources round-robin in the given order;
                                    every EVERY-th block of each source (index % EVERY == EVERY // 2)
                                    goes to valid.txt, the rest to train.txt; prints a TSV of bytes
  corpus.py patterns CHUNK FILE...  one probe line per CHUNK-byte chunk of each evaluation file
                                    (the longest line inside the chunk, at most 100 bytes of it,
                                    only if >= 40 bytes), for grep -F -f
"""
import bz2, gzip, html, lzma, re, struct, sys, zlib

out = sys.stdout.buffer


def read(path):
    data = open(path, 'rb').read()
    if path.endswith('.gz'):
        data = gzip.decompress(data)
    return data


# ---------------------------------------------------------------- html
DROP = re.compile(r'<(script|style|head|nav|footer)\b.*?</\1\s*>', re.S | re.I)
COMMENT = re.compile(r'<!--.*?-->', re.S)
BREAK = re.compile(r'<(br|p|div|h[1-6]|li|tr|dt|dd|pre|table|blockquote|section|article|hr)\b[^>]*>'
                   r'|</(p|div|h[1-6]|li|tr|dt|dd|pre|table|blockquote|section|article|ul|ol|dl)\s*>', re.I)
TAG = re.compile(r'<[^>]*>', re.S)


def html2text(data):
    s = data.decode('utf-8', 'replace')
    s = COMMENT.sub('', s)
    s = DROP.sub('', s)
    s = BREAK.sub('\n', s)
    s = TAG.sub('', s)
    s = html.unescape(s).replace('\u00a0', ' ')
    lines = [re.sub(r'[ \t]+', ' ', l).strip() for l in s.split('\n')]
    s = re.sub(r'\n{3,}', '\n\n', '\n'.join(lines))
    return (s.strip('\n') + '\n\n').encode('utf-8')


# ---------------------------------------------------------------- info
def info2text(data):
    s = data.decode('utf-8', 'replace')
    s = re.sub(r'\x1f\n?Tag Table:.*?\x1f\n?End Tag Table\n?', '', s, flags=re.S)
    s = re.sub(r'\x1f\n?Local Variables:.*', '', s, flags=re.S)
    s = re.sub(r'\x1f\n?Indirect:.*?\x1f', '\x1f', s, flags=re.S)
    s = re.sub(r'\x00\x08\[[^\x00]*\x00\x08\]', '', s)       # index markers
    s = re.sub(r'\x1f\n?File: [^\n]*\n', '\n', s)            # node headers
    s = s.replace('\x1f', '\n')
    return s.encode('utf-8')


# ---------------------------------------------------------------- R .rdb
def rdb_objects(data):
    p = 0
    while p + 5 <= len(data):
        kind = data[p + 4:p + 5]
        if kind == b'0':
            n = struct.unpack('>I', data[p:p + 4])[0]
            yield data[p + 5:p + 5 + n]
            p += 5 + n
            continue
        if kind == b'2':
            d = bz2.BZ2Decompressor(); blob = d.decompress(data[p + 5:])
        elif kind == b'X':
            d = lzma.LZMADecompressor(); blob = d.decompress(data[p + 5:])
        else:
            d = zlib.decompressobj(); blob = d.decompress(data[p + 4:])
        yield blob
        p = len(data) - len(d.unused_data)


def rdb_strings(blob):
    """Elements of a top-level STRSXP in R's XDR serialisation (format 2 or 3)."""
    if blob[:2] != b'X\n':
        return
    q = 2
    version = struct.unpack('>i', blob[q:q + 4])[0]
    q += 12
    if version == 3:
        q += 4 + struct.unpack('>i', blob[q:q + 4])[0]
    if struct.unpack('>i', blob[q:q + 4])[0] & 0xff != 16:
        return
    n = struct.unpack('>i', blob[q + 4:q + 8])[0]
    q += 8
    for _ in range(n):
        ln = struct.unpack('>i', blob[q + 4:q + 8])[0]
        q += 8
        if ln < 0:
            yield b''
            continue
        yield blob[q:q + ln]
        q += ln


# ---------------------------------------------------------------- assemble
JUNK = re.compile(rb'[\x00-\x08\x0b\x0e-\x1f\x7f]')


def normalise(data):
    data = data.replace(b'\r\n', b'\n').replace(b'\r', b'\n').replace(b'\x0c', b'\n')
    data = JUNK.sub(b'', data)
    data = data.decode('utf-8', 'ignore').encode('utf-8')      # drop invalid UTF-8 sequences
    data = re.sub(rb'[ \t]+\n', b'\n', data)                    # trailing blanks
    data = re.sub(rb'\n{4,}', b'\n\n\n', data)                  # at most 2 blank lines in a row
    return data.lstrip(b'\n')


def cut(data, limit):
    """Prefix of at most limit bytes, ending at a line end where there is one."""
    if len(data) <= limit:
        return data
    i = data.rfind(b'\n', 0, limit)
    if i > 0:
        return data[:i + 1]
    i = limit
    while i > 0 and (data[i] & 0xc0) == 0x80:                     # not inside a UTF-8 character
        i -= 1
    return data[:i]


def blocks(data, size):
    res = []
    while data:
        b = cut(data, size)
        res.append(b)
        data = data[len(b):]
    return res


def assemble(outdir, size, every, specs):
    sources = []
    for spec in specs:
        name, cap, path = spec.split(':', 2)
        data = normalise(open(path, 'rb').read())
        raw = len(data)
        if int(cap) > 0:
            data = cut(data, int(cap))
        sources.append((name, raw, blocks(data, size)))
    counts = {name: [0, 0] for name, _, _ in sources}
    with open(outdir + '/train.txt', 'wb') as tr, open(outdir + '/valid.txt', 'wb') as va:
        for r in range(max(len(b) for _, _, b in sources)):
            for name, _, bl in sources:
                if r < len(bl):
                    held = r % every == every // 2
                    (va if held else tr).write(bl[r])
                    counts[name][1 if held else 0] += len(bl[r])
    out.write(b'source\tnormalised_bytes\ttrain_bytes\tvalid_bytes\n')
    for name, raw, _ in sources:
        out.write(('%s\t%d\t%d\t%d\n' % (name, raw, counts[name][0], counts[name][1])).encode())


# ---------------------------------------------------------------- eval probes
def patterns(chunk, paths):
    seen = set()
    for path in paths:
        data = open(path, 'rb').read()
        for o in range(0, len(data), chunk):
            c = data[o:o + chunk]
            lines = c.split(b'\n')[1:-1] if len(c) == chunk else c.split(b'\n')[1:]
            best = max((l.strip() for l in lines), key=len, default=b'')
            best = best[:100]
            while best and (best[-1] & 0xc0) == 0x80:
                best = best[:-1]
            if len(best) >= 40 and best not in seen:
                seen.add(best)
                out.write(best + b'\n')


def main(argv):
    cmd = argv[1]
    if cmd == 'html':
        for p in argv[2:]:
            out.write(html2text(read(p)))
    elif cmd == 'info':
        for p in argv[2:]:
            out.write(info2text(read(p)))
    elif cmd == 'rdb':
        for blob in rdb_objects(open(argv[2], 'rb').read()):
            for s in rdb_strings(blob):
                out.write(s + b'\n')
    elif cmd == 'assemble':
        assemble(argv[2], int(argv[3]), int(argv[4]), argv[5:])
    elif cmd == 'patterns':
        patterns(int(argv[2]), argv[3:])
    else:
        sys.exit('corpus.py: unknown command ' + cmd)


if __name__ == '__main__':
    main(sys.argv)

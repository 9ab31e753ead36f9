#!/usr/bin/env python3
# Writes the HTTP/1.1 fuzzers' seed corpus (corpus/http1) from llhttp's md cases, decoded as llhttp's
# md-test harness does. Each seed is one control byte (see fuzzOne: cut point, small limits, request
# method of responses) followed by the case's bytes. Usage: fuzz_http1seeds.py CORPUS_DIR
import glob, hashlib, json, os, re, sys

def cases(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    meta, i = {}, 0
    while i < len(lines):
        m = re.match(r'<!-- meta=(.*) -->$', lines[i])
        if m:
            meta = json.loads(m.group(1))
        if lines[i] == '```http':
            j = i + 1
            while lines[j] != '```':
                j += 1
            yield meta, '\n'.join(lines[i + 1:j]) + '\n'
            meta, i = {}, j
        i += 1

def decode(s):
    s = re.sub(r'\n\Z', '', s)
    s = re.sub(r'\\(\r\n|\r|\n)', '', s)
    s = re.sub(r'\r\n|\r|\n', '\r\n', s)
    for esc, ch in (('\\r', '\r'), ('\\n', '\n'), ('\\t', '\t'), ('\\f', '\f')):
        s = s.replace(esc, ch)
    s = re.sub(r'\\x([0-9a-fA-F]+)', lambda m: chr(int(m.group(1), 16) & 0xffff), s)
    s = re.sub(r'\\([0-7]{1,3})', lambda m: chr(int(m.group(1), 8)), s)
    return s.encode('utf-8')

def main():
    root = os.path.join(sys.argv[1], 'http', 'llhttp-tests', 'test')
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus', 'http1')
    os.makedirs(out, exist_ok=True)
    n = 0
    for path in sorted(glob.glob(os.path.join(root, 'request', '*.md')) + glob.glob(os.path.join(root, 'response', '*.md'))):
        for meta, raw in cases(path):
            data = decode(raw)
            control = 0x80
            if meta.get('skipBody'):
                control |= 0x02  # HEAD
            if n % 4 == 3:
                control |= 0x01  # small limits
            seed = bytes([control]) + data
            name = hashlib.sha1(seed).hexdigest()
            with open(os.path.join(out, name), 'wb') as f:
                f.write(seed)
            n += 1
    print(f'{n} seeds in {out}')

if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Cuts the BTT fuzz tests' seeds from the Linux-made images (nvdimm.btt/src/test/resources/linux-btt/).

Run from the repository root: cnf/fuzz/make-btt-seeds.py. Writes into
nvdimm.btt/src/test/resources/nvdimm/btt/internal/{format,engine,check}/<Test>Inputs/<method>/:
  info block seeds: the first arena's info block (4 KiB);
  flog seeds: the first arena's log (nfree * 64 bytes);
  namespace and image seeds in FuzzMedium's sparse-image format: a u32 page count, then (u32 page, 4 KiB)
  records: the pages holding the info block, the first map page, the log, info2 (and for image seeds the first
  page of the label area), everything else reading as zeros.
"""
import json, lzma, os, struct

SRC = 'nvdimm.btt/src/test/resources/linux-btt/'
DST = 'nvdimm.btt/src/test/resources/nvdimm/btt/internal/'
IMAGES = ['kernel-btt-512', 'kernel-btt-4224', 'kernel-btt-520', 'kernel-btt-labeled-v1.1-512',
          'kernel-btt-labeled-v1.2-4096', 'kernel-btt-labeled-v1.2-520']
PAGE = 4096


def sparse(img, start, size, offsets):
    out = struct.pack('<I', size // PAGE)
    for off in sorted(set(offsets)):
        out += struct.pack('<I', off // PAGE) + img[start + off:start + off + PAGE]
    return out


def put(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


for name in IMAGES:
    j = json.load(open(SRC + name + '.info.json'))
    img = lzma.open(SRC + name + '.img.xz').read()
    live = [l for l in j.get('labels', {}).get('labels', []) if l.get('in_use')]
    ns_start, ns_size = (live[0]['dpa'], live[0]['rawsize']) if live else (0, j['image_size'])
    a = j['btt'][0][0]
    info = a['file_offset']
    rel = info - ns_start
    pages = [rel - rel % PAGE]
    pages.append((rel + a['mapoff']) // PAGE * PAGE)
    log = rel + a['logoff']
    for p in range(log // PAGE * PAGE, log + a['nfree'] * 64, PAGE):
        pages.append(p)
    pages.append((rel + a['info2off']) // PAGE * PAGE)
    put(DST + 'format/InfoBlockFuzzTestInputs/infoBlock/' + name, img[info:info + PAGE])
    put(DST + 'format/FlogFuzzTestInputs/flog/' + name, img[info + a['logoff']:info + a['logoff'] + a['nfree'] * 64])
    ns = sparse(img, ns_start, ns_size, pages)
    put(DST + 'engine/BttLoadFuzzTestInputs/load/' + name, ns)
    put(DST + 'check/ImageCheckFuzzTestInputs/checkNamespace/' + name, ns)
    whole = [ns_start + p for p in pages]
    if 'label_area_offset' in j.get('labels', {}):
        whole.append(j['labels']['label_area_offset'])
    put(DST + 'check/ImageCheckFuzzTestInputs/checkImage/' + name, sparse(img, 0, j['image_size'], whole))

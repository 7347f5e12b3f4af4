"""
WordPress's paragraph rules (blog/autop.py, a port of wpautop() and
shortcode_unautop()): what an imported post looked like on WordPress, it
looks like here.
"""

import time

import pytest

from blog.autop import html_split, replace_in_html_tags, shortcode_unautop, wpautop

pytestmark = pytest.mark.no_database


def test_blank_lines_make_paragraphs():
    assert wpautop("First paragraph.\n\nSecond paragraph.") == (
        "<p>First paragraph.</p>\n<p>Second paragraph.</p>\n"
    )


def test_several_blank_lines_and_windows_newlines_are_one_break():
    assert wpautop("One.\r\n\r\n\r\n\r\nTwo.\r\n") == "<p>One.</p>\n<p>Two.</p>\n"


def test_a_single_newline_is_a_line_break():
    assert wpautop("Roses are red,\nviolets are blue.") == (
        "<p>Roses are red,<br />\nviolets are blue.</p>\n"
    )


def test_a_br_already_there_gets_no_second_one():
    assert wpautop("line 1<br>\nline 2<br/>\nline 3") == (
        "<p>line 1<br />\nline 2<br />\nline 3</p>\n"
    )


def test_two_brs_in_a_row_make_a_paragraph_break():
    assert wpautop("line 1<br>\n<br/>\nline 2") == "<p>line 1</p>\n<p>line 2</p>\n"


def test_inline_html_stays_inside_the_paragraph():
    source = 'Some <strong>bold</strong>, <em>em</em> and <a href="/x">a link</a>.'

    assert wpautop(source) == f"<p>{source}</p>\n"


def test_pre_is_left_exactly_as_written():
    code = "def f():\n\n    return 1\n<br>kept"
    output = wpautop(f"Look at this:\n\n<pre>{code}</pre>\n\nNeat.")

    assert output == f"<p>Look at this:</p>\n<pre>{code}</pre>\n<p>Neat.</p>\n"


def test_several_pre_blocks_are_all_protected():
    output = wpautop("<pre>a\n\nb</pre>\n\nmiddle\n\n<pre class='x'>c\nd</pre>")

    assert "<pre>a\n\nb</pre>" in output
    assert "<pre class='x'>c\nd</pre>" in output
    assert "<p>middle</p>" in output


def test_a_table_gets_no_paragraphs_or_line_breaks():
    table = "<table>\n<tr>\n<td>One</td>\n<td>Two</td>\n</tr>\n</table>"

    output = wpautop(table)

    assert "<p>" not in output
    assert "<br" not in output
    assert output == table + "\n"


@pytest.mark.parametrize("tag", ["ul", "ol"])
def test_a_list_gets_no_paragraphs_or_line_breaks(tag):
    source = f"Before\n<{tag}>\n<li>One</li>\n<li>Two</li>\n</{tag}>\nAfter"

    assert wpautop(source) == (
        f"<p>Before</p>\n<{tag}>\n<li>One</li>\n<li>Two</li>\n</{tag}>\n<p>After</p>\n"
    )


@pytest.mark.parametrize(
    "tag",
    ["div", "h2", "h6", "section", "figure", "details", "address", "dl", "hr", "blockquote"],
)
def test_text_beside_a_block_element_is_a_paragraph_of_its_own(tag):
    block = "<hr>" if tag == "hr" else f"<{tag}>x</{tag}>"

    output = wpautop(f"before{block}after")

    assert output.startswith("<p>before</p>\n")
    assert output.endswith("<p>after</p>\n")
    assert f"<p><{tag}" not in output


@pytest.mark.parametrize("tag", ["div", "h2", "figure", "table", "section", "p"])
def test_block_elements_are_not_wrapped_in_a_paragraph(tag):
    assert wpautop(f"<{tag} class='c'>foo</{tag}>") == f"<{tag} class='c'>foo</{tag}>\n"


def test_blockquote_content_gets_its_paragraphs_inside():
    assert wpautop("<blockquote>Quoted\n\nwords</blockquote>") == (
        "<blockquote><p>Quoted</p>\n<p>words</p></blockquote>\n"
    )


def test_a_div_with_text_gets_its_paragraph_closed_inside():
    assert wpautop("<div>Hello\nthere</div>") == "<div>Hello<br />\nthere</div>\n"


def test_newlines_inside_a_tag_are_not_line_breaks():
    output = wpautop('Hello <a\nhref="/x">link</a>')

    assert output == '<p>Hello <a\nhref="/x">link</a></p>\n'


def test_comments_are_kept_whole_with_their_newlines():
    assert wpautop("Hello <!-- a\n\nnote -->") == "<p>Hello <!-- a\n\nnote --></p>\n"


def test_script_and_style_keep_their_newlines():
    output = wpautop("<script>\nvar a = 1;\nvar b = 2;\n</script>")

    assert "var a = 1;\nvar b = 2;" in output
    assert "<br" not in output


def test_figcaption_and_sources_stay_on_their_element():
    output = wpautop("<figure>\n<img src='a.jpg'>\n<figcaption>Caption</figcaption>\n</figure>")
    assert output == "<figure>\n<img src='a.jpg'><figcaption>Caption</figcaption></figure>\n"

    output = wpautop(
        "<video controls>\n  <source src='/a.mp4'>\n  <source src='/a.webm'>\n</video>"
    )
    assert output == "<p><video controls><source src='/a.mp4'><source src='/a.webm'></video></p>\n"


def test_an_empty_body_is_empty():
    assert wpautop("") == ""
    assert wpautop("  \n\n ") == ""


def test_a_no_break_space_line_is_text_not_a_blank_line():
    # PHP's \s is ASCII: WordPress keeps such a line in the paragraph.
    assert wpautop("One\n\u00a0\nTwo") == "<p>One<br />\n\u00a0<br />\nTwo</p>\n"


def test_without_br_single_newlines_stay_newlines():
    assert wpautop("a\nb\n\nc", br=False) == "<p>a\nb</p>\n<p>c</p>\n"


# shortcode_unautop


def test_a_standalone_shortcode_loses_its_paragraph():
    output = shortcode_unautop(wpautop('Intro\n\n[gallery ids="1,2"]\n\nOutro'), ["gallery"])

    assert output == '<p>Intro</p>\n[gallery ids="1,2"]\n<p>Outro</p>\n'


def test_a_standalone_shortcode_with_content_loses_its_paragraph():
    output = shortcode_unautop(
        wpautop('[caption width="300"]<img src="/a.jpg" /> Text[/caption]'), ["caption"]
    )

    assert output == '[caption width="300"]<img src="/a.jpg" /> Text[/caption]\n'


def test_a_shortcode_inside_text_keeps_the_paragraph():
    output = shortcode_unautop(wpautop('See [gallery ids="1"] here'), ["gallery"])

    assert output == '<p>See [gallery ids="1"] here</p>\n'


def test_an_unregistered_shortcode_keeps_its_paragraph():
    output = shortcode_unautop(wpautop("[contact-form]"), ["gallery", "caption"])

    assert output == "<p>[contact-form]</p>\n"


def test_a_longer_name_is_not_taken_for_a_registered_one():
    output = shortcode_unautop(wpautop("[gallery-pro]"), ["gallery"])

    assert output == "<p>[gallery-pro]</p>\n"


# The HTML splitter under both


def test_html_split_separates_elements_comments_and_cdata_from_text():
    parts = html_split('a<b class="x">c<!-- d > e -->f<![CDATA[ g > h ]]>i')

    assert parts == ["a", '<b class="x">', "c", "<!-- d > e -->", "f", "<![CDATA[ g > h ]]>", "i"]


def test_replace_in_html_tags_leaves_text_alone():
    assert replace_in_html_tags("a\n<b\nc>\nd", {"\n": " "}) == "a\n<b c>\nd"


def test_wordpress_quirk_a_space_after_a_br_still_gets_a_br():
    # WordPress's lookbehind only spares a newline right after "<br />".
    assert wpautop("a<br />\nb") == "<p>a<br />\nb</p>\n"
    assert wpautop("a<br /> \nb") == "<p>a<br /> <br />\nb</p>\n"


@pytest.mark.parametrize(
    "body",
    [
        "a" + " " * 100_000 + "b",
        "<br />" + " " * 100_000 + "x\ny",
        "<option>" + " " * 100_000 + "<source>" + " " * 100_000 + "<figcaption>",
    ],
)
def test_long_runs_of_spaces_take_linear_time(body):
    # PHP-style "\s*X" patterns rescan a run from each of its characters:
    # minutes for these bodies. The port's equivalents take milliseconds.
    started = time.perf_counter()
    wpautop(body)
    assert time.perf_counter() - started < 2

"""Text renderings beyond the corpus files: edge cases of the glued form."""

from shelfmark.listing.text import parse_text

GLUED_WITH_SPACES = (
    "Search Results\n"
    "Item First Title(2020) Smith, John; Doe, Jane; Physics; Digital Repository at the University of Maryland; "
    "University of Maryland (College Park, Md.)An abstract that ends with access. "
    "Item Second Title Here(2017) Okonjo, Samuel; Van Hulzen, Maarten; Computer Science; "
    "Digital Repository at the University of Maryland; University of Maryland (College Park, Md.)"
    "Another abstract. The Item response theory (2019) showed things."
)


def test_badge_after_sentence_and_space_starts_item():
    page = parse_text(GLUED_WITH_SPACES)
    assert [item.title for item in page.items] == ["First Title", "Second Title Here"]


def test_badge_after_sentence_keeps_first_abstract():
    page = parse_text(GLUED_WITH_SPACES)
    assert page.items[0].abstract == "An abstract that ends with access."


def test_item_word_inside_abstract_is_not_a_badge():
    page = parse_text(GLUED_WITH_SPACES)
    assert page.items[1].abstract == "Another abstract. The Item response theory (2019) showed things."

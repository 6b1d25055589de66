"""The Discover view shows a model card's front matter as labels, not as a rule and a heading (issue 18)."""
from __future__ import annotations

from tests.core.hub.test_model_card import CARD


def test_the_discover_view_shows_labels_not_a_heading(qtbot):
    from app.ui.discover.repo_view import RepoView

    view = RepoView(4096)
    qtbot.addWidget(view)
    view.show_card(CARD)
    html = view.card.toHtml()
    text = view.card.toPlainText()
    assert "licence: apache-2.0" in text and "base model: HuggingFaceTB/SmolLM2-135M-Instruct" in text
    assert "gguf" in text and "SmolLM2 GGUF" in text
    assert "<hr" not in html and "license: apache-2.0" not in text

from datetime import date

import pytest

from uslugi.catalogue.factories import QualityStandardFactory
from uslugi.catalogue.models import QualityStandard, TermKind
from uslugi.catalogue.services import StandardStartsTooEarly, revise_quality_standard
from uslugi.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_revising_a_standard_publishes_a_new_version_and_keeps_the_old_one() -> None:
    # given
    first = QualityStandardFactory(term=37, term_kind=TermKind.WORKING, valid_from=date(2024, 1, 1))
    # when
    second = revise_quality_standard(
        service=first.service, actor=None, valid_from=date(2024, 10, 17), term=15
    )
    # then
    first.refresh_from_db()
    assert (first.version, first.term, first.valid_from, first.valid_to) == (
        1,
        37,
        date(2024, 1, 1),
        date(2024, 10, 16),
    )
    assert (second.version, second.term, second.valid_from, second.valid_to) == (
        2,
        15,
        date(2024, 10, 17),
        None,
    )
    assert second.applicant_documents == first.applicant_documents
    assert second.channel_portal == first.channel_portal
    event = AuditEvent.objects.get(verb="standard.published")
    assert event.target_id == str(second.pk)
    assert event.data["changes"] == {"term": 15}


def test_a_new_version_cannot_start_before_the_one_in_force() -> None:
    # given
    first = QualityStandardFactory(valid_from=date(2025, 1, 1))
    # when
    with pytest.raises(StandardStartsTooEarly):
        revise_quality_standard(
            service=first.service, actor=None, valid_from=date(2025, 1, 1), term=5
        )
    # then nothing changed
    first.refresh_from_db()
    assert first.valid_to is None
    assert QualityStandard.objects.count() == 1
    assert not AuditEvent.objects.exists()

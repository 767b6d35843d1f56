"""Done when: the CSV import rejects a malformed file whole with clear messages."""

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from uslugi.accounts.factories import UserFactory
from uslugi.accounts.models import Role
from uslugi.catalogue.demo import load_demo as load_catalogue
from uslugi.catalogue.models import Region
from uslugi.core.models import AuditEvent
from uslugi.roadmap import transfer
from uslugi.roadmap.errors import ImportRejected
from uslugi.roadmap.factories import MeasureFactory, MemberFactory, RoadmapFactory
from uslugi.roadmap.models import ItemStatus, Measure, Roadmap

HEADER = (
    "number;title;description;responsible_agency;responsible_person;responsible_email;"
    "overseer;starts_on;due_on;status"
)
GOOD = "4.1;Новое;;social-56;Петров П. П.;p@example.org;Волкова Е. С.;2026-01-01;31.12.2026;planned"
MALFORMED = "\n".join(
    [
        HEADER,
        GOOD,
        "4.2;Без ведомства;;nowhere-56;Петров П. П.;;;2026-01-01;2026-12-31;planned",
        "4.3;Плохие даты;;social-56;Петров П. П.;not-an-email;Никто;2026-13-01;2025-12-31;soon",
        "4.1;Повтор номера;;social-56;Петров П. П.;;;2026-01-01;2026-12-31;done",
        ";;;social-56;;;;2026-01-01;2026-12-31;",
        "4.5;Лишний столбец;;social-56;Петров П. П.;;;2026-01-01;2026-12-31;planned;лишнее",
    ]
)


@pytest.fixture
def roadmap(db: None) -> Roadmap:
    load_catalogue()
    roadmap: Roadmap = RoadmapFactory.create(region=Region.objects.get(code="56"))
    MemberFactory(roadmap=roadmap, full_name="Волкова Е. С.")
    return roadmap


@pytest.fixture
def admin(roadmap: Roadmap) -> Any:
    return UserFactory(role=Role.REGIONAL_ADMINISTRATOR, region=roadmap.region)


def test_a_malformed_file_is_rejected_whole_with_every_bad_line(
    roadmap: Roadmap, admin: Any
) -> None:
    # given a roadmap with one measure
    existing = MeasureFactory(roadmap=roadmap, number="4.2", title="Было")
    # when a file with a good row and five bad ones is imported
    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        transfer.import_measures(roadmap=roadmap, actor=admin, data=MALFORMED.encode())
    # then every bad row is named by its line with what is wrong
    assert rejected.value.errors == [
        "Line 3: no agency with the code «nowhere-56» in this region.",
        "Line 4: «not-an-email» is not an e-mail address; «Никто» is not a member of the working "
        "group; «2026-13-01» in «starts_on» is not a date (use 31.03.2025 or 2025-03-31); "
        "unknown status «soon» (one of: planned, in_progress, done, overdue, cancelled).",
        "Line 5: number 4.1 repeats line 2.",
        "Line 6: «number» is empty; «title» is empty; «responsible_person» is empty.",
        "Line 7: 11 values instead of 10 (check the separators and quotes).",
    ]
    # and nothing was imported, not even the good row
    assert list(Measure.objects.values_list("number", "title")) == [("4.2", "Было")]
    existing.refresh_from_db()
    assert existing.revision == 1
    assert not AuditEvent.objects.filter(verb="roadmap.measures_imported").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (
            "номер;название\n1;x".encode("cp1251"),
            "The file is not in UTF-8 encoding: save it as «CSV UTF-8» and try again.",
        ),
        (
            b"number,title\n1,x",
            "Line 1: required columns are missing: "
            "responsible_agency, responsible_person, starts_on, due_on.",
        ),
        (f"{HEADER};colour\n".encode(), "Line 1: unknown columns: colour."),
        (HEADER.encode(), "The file has no measures, only a header."),
    ],
)
def test_a_file_that_is_not_a_table_of_measures_says_why(
    roadmap: Roadmap, admin: Any, data: bytes, message: str
) -> None:
    with translation.override("en"), pytest.raises(ImportRejected) as rejected:
        transfer.import_measures(roadmap=roadmap, actor=admin, data=data)
    assert rejected.value.errors == [message]
    assert Measure.objects.count() == 0


def test_a_good_file_adds_and_updates_and_an_export_imports_back_unchanged(
    roadmap: Roadmap, admin: Any
) -> None:
    # given a measure 4.2, and a file (commas, a BOM) with a new 4.1 and a changed 4.2
    MeasureFactory(roadmap=roadmap, number="4.2", title="Было")
    text = "\ufeff" + "\n".join(
        [
            HEADER.replace(";", ","),
            GOOD.replace(";", ","),
            "4.2,Стало,,social-56,Петров П. П.,,,2026-01-01,2026-12-31,выполнено",
        ]
    )
    # when it is imported
    result = transfer.import_measures(roadmap=roadmap, actor=admin, data=text.encode())
    # then
    assert (result.created, result.updated) == (1, 1)
    new = Measure.objects.get(number="4.1")
    assert new.overseer is not None
    assert (new.due_on, new.overseer.full_name, new.status) == (
        date(2026, 12, 31),
        "Волкова Е. С.",
        ItemStatus.PLANNED,
    )
    changed = Measure.objects.get(number="4.2")
    assert (changed.title, changed.status, changed.revision) == ("Стало", ItemStatus.DONE, 2)
    assert AuditEvent.objects.get(verb="roadmap.measures_imported").data == {
        "file": "",
        "rows": 2,
        "created": 1,
        "updated": 1,
    }
    # and the export imports back changing nothing
    exported = transfer.export_measures(roadmap)
    assert exported.splitlines()[0] == HEADER
    again = transfer.import_measures(roadmap=roadmap, actor=admin, data=exported.encode())
    assert (again.created, again.updated) == (0, 0)


def test_the_import_page_lists_the_errors_in_russian_and_imports_nothing(
    roadmap: Roadmap, admin: Any
) -> None:
    client = Client()
    client.force_login(admin)
    upload = SimpleUploadedFile("measures.csv", MALFORMED.encode(), content_type="text/csv")
    response = client.post("/roadmap/56/manage/import/", {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Файл не импортирован: ничего не изменилось. Исправьте строки:" in html
    assert "Строка 3: нет ведомства с кодом «nowhere-56» в этом регионе." in html
    assert "Строка 5: номер 4.1 повторяет строку 2." in html
    assert Measure.objects.count() == 0


def test_the_export_is_a_csv_download_for_the_administrator(roadmap: Roadmap, admin: Any) -> None:
    MeasureFactory(roadmap=roadmap, number="1.1", title="Мероприятие")
    client = Client()
    client.force_login(admin)
    response = client.get("/roadmap/56/manage/measures.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff" + HEADER)
    assert ";Мероприятие;" in text
    assert Client().get("/roadmap/56/manage/measures.csv").status_code == 302

"""Letters for the report tests: the bundled examples plus a letter whose text and title are hostile
markup, changed between versions by a dropped "niet", a date, a moved and a removed paragraph."""

from __future__ import annotations

from docaudit.examples.demo import store_examples
from docaudit.ingest import add_bytes
from docaudit.store.database import Store

SCRIPT = "<script>window.__pwned = 1; document.title = 'pwned'</script>"
IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned', '1')\">"
TITLE = f"Brief over {SCRIPT} encryptie"
HOSTILE = f"Het kabinet zal {SCRIPT} de motie over encryptie {IMG} voorlopig niet uitvoeren."

P1 = "Den Haag, 3 maart 2025\n\nGeachte Voorzitter,"
P2 = (
    "De begroting voor het programma internetveiligheid wordt in het voorjaar aan uw Kamer voorgelegd. "
    "Daarbij hoort een overzicht van alle uitgaven per ministerie."
)
KEEP = "De Raad spreekt in juni opnieuw over de verordening en het kabinet informeert uw Kamer daarna."
P3 = f"Het kabinet steunt het voorstel niet in deze vorm. {HOSTILE} {KEEP}"
P3_NEW = f"Het kabinet steunt het voorstel in deze vorm. {HOSTILE} {KEEP}"
P4 = "Deze alinea over de rapportage door providers verdwijnt helemaal uit de tweede versie van de brief."
LAST = "Over de uitkomst van dat overleg ontvangt uw Kamer zoals gebruikelijk een verslag."
P5 = f"Het overleg met de lidstaten vindt plaats op 5 juni 2025 in Luxemburg. {LAST}"
P5_NEW = f"Het overleg met de lidstaten vindt plaats op 12 juni 2025 in Luxemburg. {LAST}"
P6 = "Hoogachtend,\n\nde minister van Justitie en Veiligheid"

V1 = "\n\n".join([P1, P2, P3, P4, P5, P6])
V2 = "\n\n".join([P1, P3_NEW, P5_NEW, P2, P6])  # P2 moved to the end, P4 removed
COPY = "\n\n".join(
    ["Den Haag, 10 april 2025\n\nGeachte Voorzitter,", HOSTILE, "Een ander onderwerp volgt hier nog.", P6]
)


def build(store: Store) -> None:
    """The demo letters and the hostile ones (txt), stored in order."""
    store_examples(store)
    add_bytes(store, V1.encode(), "hostile", filename="hostile_v1.txt", title=TITLE)
    add_bytes(store, V2.encode(), "hostile", filename="hostile_v2.txt", title=TITLE)
    add_bytes(store, COPY.encode(), "hostile/copy 2", filename="copy.txt", title="Kopie met dezelfde zin")

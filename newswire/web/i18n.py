"""Interface strings of the people-facing pages (desk, portal, sign-in), in each language.

The public site's approach (`site/i18n.py`), generalized: a catalog is a
plain dict per language keyed by the English text, a string missing from a
catalog falls back to English, and each part brings its own catalog (the
desk's, the portal's) merged with this one, so no one file collects every
string. Stories keep their own language and direction: the interface is
translated, the news is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from newswire.models.languages import base_language, text_direction

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Catalog:
    """Translations by language, each keyed by the English text."""

    strings: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def merged(self, *others: Catalog) -> Catalog:
        """Return this catalog with the strings of others added (theirs win on a clash)."""
        combined: dict[str, dict[str, str]] = {
            language: dict(texts) for language, texts in self.strings.items()
        }
        for other in others:
            for language, texts in other.strings.items():
                combined.setdefault(language, {}).update(texts)
        return Catalog(combined)

    def translate(self, language: str, text: str) -> str:
        """Return the translation of a text in a language, or the text itself."""
        return self.strings.get(base_language(language), {}).get(text, text)


@dataclass(frozen=True)
class Interface:
    """The interface strings of one language; unknown strings fall back to English."""

    language: str
    catalog: Catalog

    def __call__(self, text: str, **values: Any) -> str:
        """Translate an interface string and fill in its {placeholders}."""
        translated = self.catalog.translate(self.language, text)
        return translated.format(**values) if values else translated

    @property
    def direction(self) -> str:
        """Return the text direction of the interface language."""
        return text_direction(self.language)


def negotiate(
    accept_language: str | None, available: Iterable[str], default: str = DEFAULT_LANGUAGE
) -> str:
    """Return the first available language a browser's Accept-Language asks for, else default."""
    offered = [base_language(tag) for tag in available]
    wanted: list[tuple[float, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            wanted.append((-quality + index * 1e-6, base_language(tag)))
    for _order, tag in sorted(wanted):
        if tag in offered:
            return tag
    return default if default in offered or not offered else offered[0]


# The strings of the sign-in pages and the shared layout.
PEOPLE = Catalog(
    {
        "tr": {
            "Skip to content": "İçeriğe geç",
            "Newsroom desk": "Haber masası",
            "Subscriber portal": "Abone portalı",
            "Sign in": "Giriş yap",
            "Sign in to the newsroom desk": "Haber masasına giriş",
            "Sign in to the subscriber portal": "Abone portalına giriş",
            "Email": "E-posta",
            "Password": "Parola",
            "Repeat password": "Parolayı tekrarlayın",
            "Set password": "Parolayı belirle",
            "Set your password": "Parolanızı belirleyin",
            "Choose a password for {email}.": "{email} için bir parola seçin.",
            "At least {count} characters.": "En az {count} karakter.",
            "Sign out": "Çıkış yap",
            "Sign out everywhere": "Her yerde çıkış yap",
            "Signed in as {name}": "{name} olarak giriş yapıldı",
            "Your account": "Hesabınız",
            "Name": "Ad",
            "Role": "Rol",
            "Language": "Dil",
            "Your sessions": "Oturumlarınız",
            "Signed in": "Giriş",
            "Last used": "Son kullanım",
            "From": "Nereden",
            "This browser": "Bu tarayıcı",
            "You signed out.": "Çıkış yaptınız.",
            "You signed out on every device.": "Tüm cihazlarda çıkış yaptınız.",
            "Your password is set. Sign in with it.": "Parolanız belirlendi. Onunla giriş yapın.",
            "Your session ended. Sign in again.": "Oturumunuz sona erdi. Yeniden giriş yapın.",
            "Wrong email or password.": "E-posta ya da parola yanlış.",
            "Too many failed sign-ins. Try again in {minutes} minutes.": (
                "Çok fazla başarısız giriş denemesi. {minutes} dakika sonra yeniden deneyin."
            ),
            "This link has expired or was already used. Ask your administrator for a new one.": (
                "Bu bağlantının süresi dolmuş ya da bağlantı kullanılmış. Yöneticinizden yeni "
                "bir bağlantı isteyin."
            ),
            "The form expired or did not come from this site. Reload the page and try again.": (
                "Form zaman aşımına uğradı ya da bu siteden gelmedi. Sayfayı yenileyip yeniden "
                "deneyin."
            ),
            "You may not open this page.": "Bu sayfayı açma yetkiniz yok.",
            "Page not found": "Sayfa bulunamadı",
            "Not allowed": "İzin verilmedi",
            "Error": "Hata",
            "reporter": "muhabir",
            "editor": "editör",
            "chief": "yazı işleri müdürü",
            "admin": "yönetici",
            "company_admin": "şirket yöneticisi",
            "member": "üye",
        },
    }
)

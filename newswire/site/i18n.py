"""Interface strings of the public site in each language, and what a language needs to render.

The catalog is a plain dict per language, keyed by the English text, because
the site has few strings and a dict is easy to review. A string missing from a
catalog falls back to English, so a new language can start half-translated.
Stories keep their own language: a Turkish story's text is never translated,
only the words around it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newswire.models.languages import babel_locale, base_language, text_direction
from newswire.models.stories import urgency_name
from newswire.newsroom.vocab.mediatopics import bare_code, lookup

DEFAULT_NOTICE = (
    "This website carries only a portion of the stories offered to subscribers, "
    "and in summarized form. Subscribers receive the full service."
)

CATALOGS: dict[str, dict[str, str]] = {
    "tr": {
        "Skip to content": "İçeriğe geç",
        "Latest news": "Son haberler",
        "Sections": "Bölümler",
        "Page {page} of {last}": "Sayfa {page} / {last}",
        "Newer": "Daha yeni",
        "Older": "Daha eski",
        "No stories yet.": "Henüz haber yok.",
        "Home": "Ana sayfa",
        "Published": "Yayımlanma",
        "Updated": "Güncelleme",
        "Search": "Ara",
        "Search the summaries": "Özetlerde ara",
        "Search results for “{query}”": "“{query}” için arama sonuçları",
        "No stories match your search.": "Aramanızla eşleşen haber bulunamadı.",
        "Words to search for": "Aranacak sözcükler",
        "Subject": "Konu",
        "Subjects": "Konular",
        "Stories by {name}": "{name} imzalı haberler",
        "Contact us for subscription options": "Abonelik seçenekleri için bize ulaşın",
        "This story has been withdrawn": "Bu haber geri çekildi",
        "The agency has withdrawn this story.": "Ajans bu haberi geri çekti.",
        "Back to the latest news": "Son haberlere dön",
        "Page not found": "Sayfa bulunamadı",
        "Language": "Dil",
        "Atom feed": "Atom beslemesi",
        "RSS feed": "RSS beslemesi",
        "Subscription": "Abonelik",
        "Pages": "Sayfalar",
        "Breadcrumb": "Konum",
        "Summary": "Özet",
        "Author": "Muhabir",
        "Site": "Site",
        "flash": "flaş",
        "urgent": "acil",
        "important": "önemli",
        "routine": "rutin",
        "{site}: latest news": "{site}: son haberler",
        "{site}: {section}": "{site}: {section}",
        DEFAULT_NOTICE: (
            "Bu web sitesi abonelere sunulan haberlerin yalnızca bir bölümünü, özet hâlinde "
            "yayımlar. Aboneler hizmetin tamamını alır."
        ),
    },
    "ar": {
        "Skip to content": "انتقل إلى المحتوى",
        "Latest news": "آخر الأخبار",
        "Sections": "الأقسام",
        "Page {page} of {last}": "الصفحة {page} من {last}",
        "Newer": "الأحدث",
        "Older": "الأقدم",
        "No stories yet.": "لا توجد أخبار بعد.",
        "Home": "الرئيسية",
        "Published": "نُشر",
        "Updated": "حُدّث",
        "Search": "بحث",
        "Search the summaries": "ابحث في الملخصات",
        "Search results for “{query}”": "نتائج البحث عن «{query}»",
        "No stories match your search.": "لا توجد أخبار تطابق بحثك.",
        "Words to search for": "كلمات البحث",
        "Subject": "الموضوع",
        "Subjects": "المواضيع",
        "Stories by {name}": "أخبار بقلم {name}",
        "Contact us for subscription options": "اتصل بنا لمعرفة خيارات الاشتراك",
        "This story has been withdrawn": "سُحب هذا الخبر",
        "The agency has withdrawn this story.": "سحبت الوكالة هذا الخبر.",
        "Back to the latest news": "العودة إلى آخر الأخبار",
        "Page not found": "الصفحة غير موجودة",
        "Language": "اللغة",
        "Atom feed": "موجز Atom",
        "RSS feed": "موجز RSS",
        "Subscription": "الاشتراك",
        "Pages": "الصفحات",
        "Breadcrumb": "مسار التنقل",
        "Summary": "الملخص",
        "Author": "الكاتب",
        "Site": "الموقع",
        "flash": "عاجل جداً",
        "urgent": "عاجل",
        "important": "مهم",
        "routine": "عادي",
        "{site}: latest news": "{site}: آخر الأخبار",
        "{site}: {section}": "{site}: {section}",
        DEFAULT_NOTICE: (
            "لا يعرض هذا الموقع سوى جزء من الأخبار المقدَّمة إلى المشتركين، وبصيغة ملخَّصة. "
            "يحصل المشتركون على الخدمة كاملة."
        ),
    },
}

# Names of the 17 top-level IPTC Media Topics; deeper topics keep IPTC's English name.
SUBJECT_NAMES: dict[str, dict[str, str]] = {
    "tr": {
        "01000000": "sanat, kültür, eğlence ve medya",
        "02000000": "suç, hukuk ve adalet",
        "03000000": "afet, kaza ve acil durum",
        "04000000": "ekonomi, iş dünyası ve finans",
        "05000000": "eğitim",
        "06000000": "çevre",
        "07000000": "sağlık",
        "08000000": "insan hikâyeleri",
        "09000000": "çalışma hayatı",
        "10000000": "yaşam tarzı ve boş zaman",
        "11000000": "siyaset",
        "12000000": "din",
        "13000000": "bilim ve teknoloji",
        "14000000": "toplum",
        "15000000": "spor",
        "16000000": "çatışma, savaş ve barış",
        "17000000": "hava durumu",
    },
    "ar": {
        "01000000": "الفنون والثقافة والترفيه والإعلام",
        "02000000": "الجريمة والقانون والعدالة",
        "03000000": "الكوارث والحوادث والطوارئ",
        "04000000": "الاقتصاد والأعمال والمال",
        "05000000": "التعليم",
        "06000000": "البيئة",
        "07000000": "الصحة",
        "08000000": "قصص إنسانية",
        "09000000": "العمل",
        "10000000": "أسلوب الحياة والترفيه",
        "11000000": "السياسة",
        "12000000": "الدين",
        "13000000": "العلوم والتكنولوجيا",
        "14000000": "المجتمع",
        "15000000": "الرياضة",
        "16000000": "النزاعات والحرب والسلام",
        "17000000": "الطقس",
    },
}


def open_graph_locale(tag: str) -> str:
    """Return the og:locale form of a language tag (en, tr, pt_BR)."""
    locale = babel_locale(tag)
    return str(locale) if locale is not None else tag.replace("-", "_")


def is_language_tag(text: str) -> bool:
    """Tell whether a path segment is a language tag Babel knows (keeps /favicon.ico out)."""
    return 2 <= len(text) <= 12 and babel_locale(text) is not None


@dataclass(frozen=True)
class Translator:
    """The interface strings of one language; unknown strings fall back to English."""

    language: str

    def __call__(self, text: str, **values: Any) -> str:
        """Translate an interface string and fill in its {placeholders}."""
        catalog = CATALOGS.get(base_language(self.language), {})
        translated = catalog.get(text, text)
        return translated.format(**values) if values else translated

    @property
    def direction(self) -> str:
        """Return the text direction of the interface language."""
        return text_direction(self.language)

    def urgency(self, urgency: int) -> str:
        """Return the translated word for an urgency level."""
        return self(urgency_name(urgency))

    def subject(self, code: str) -> str:
        """Return a Media Topic's name in this language, else IPTC's English name."""
        bare = bare_code(code)
        names = SUBJECT_NAMES.get(base_language(self.language), {})
        if bare in names:
            return names[bare]
        topic = lookup(bare)
        return topic.name if topic else code


def has_catalog(language: str) -> bool:
    """Tell whether the interface is translated into a language (English always is)."""
    base = base_language(language)
    return base == "en" or base in CATALOGS

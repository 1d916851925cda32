"""The desk's interface strings in Turkish (English is the key), merged with the shared ones."""

from __future__ import annotations

from newswire.web.i18n import Catalog

TURKISH = {
    "Desk": "Masa",
    "Your session ended. Sign in again.": "Oturumunuz sona erdi. Yeniden oturum açın.",
    ("Restored what you typed before the page was reloaded; saving…"): (
        "Sayfa yeniden yüklenmeden önce yazdıklarınız geri getirildi; kaydediliyor…"
    ),
    "Saving…": "Kaydediliyor…",
    ("Not saved: the desk cannot be reached. Your text is kept here."): (
        "Kaydedilmedi: masaya ulaşılamıyor. Metniniz burada tutuluyor."
    ),
    "Saved: version {version}, {time} UTC": "Kaydedildi: sürüm {version}, {time} UTC",
    "Not saved.": "Kaydedilmedi.",
    (
        "Your session ended. Your text is kept in this browser: sign in again "
        "({url}) and reopen this story."
    ): (
        "Oturumunuz sona erdi. Metniniz bu tarayıcıda tutuluyor: yeniden oturum "
        "açın ({url}) ve bu haberi tekrar açın."
    ),
    "Monitoring": "İzleme",
    "My drafts": "Taslaklarım",
    "Spiked": "Rafa kaldırılanlar",
    "Keyboard shortcuts": "Klavye kısayolları",
    "New story": "Yeni haber",
    "Save now": "Şimdi kaydet",
    "Publish": "Yayımla",
    "Next / previous item": "Sonraki / önceki öğe",
    "Show this help": "Bu yardımı göster",
    "Close": "Kapat",
    "Urgency": "Öncelik",
    "(no headline yet)": "(henüz başlık yok)",
    "Being edited by {name}": "{name} düzenliyor",
    "{count} items": "{count} öğe",
    "Nothing here.": "Burada bir şey yok.",
    "On the wire": "Ajansta",
    "This view updates by itself.": "Bu görünüm kendiliğinden güncellenir.",
    "Incoming": "Gelen",
    "Editing": "Düzenleniyor",
    "Ready": "Hazır",
    "updated": "güncellendi",
    "corrected": "düzeltildi",
    "killed": "geri çekildi",
    "embargo changed": "ambargo değişti",
    "released": "ambargo kalktı",
    "created": "oluşturuldu",
    "moved": "taşındı",
    "restored": "geri getirildi",
    "unlocked": "kilidi açıldı",
    "draft": "taslak",
    "submitted": "masada",
    "published": "yayımlandı",
    "spiked": "rafa kaldırıldı",
    "Edit story": "Haberi düzenle",
    "Write story": "Haber yaz",
    "by {name}": "yazan: {name}",
    "{name} is editing this story until {time}. It is read-only for you.": (
        "{name} bu haberi {time} saatine kadar düzenliyor. Sizin için salt okunur."
    ),
    "Force unlock": "Kilidi zorla aç",
    "Story": "Haber",
    "Headline": "Başlık",
    "Summary": "Özet",
    "Body": "Metin",
    "Slugline": "Künye",
    "Byline": "Muhabir",
    "Dateline": "Yer",
    "Sections": "Bölümler",
    "Subjects": "Konular",
    "IPTC Media Topics: type to search, then choose.": (
        "IPTC Media Topics: aramak için yazın, sonra seçin."
    ),
    "Matching topics": "Eşleşen konular",
    "Chosen topics": "Seçilen konular",
    "Remove {name}": "{name} kaldır",
    "Language": "Dil",
    "Genre": "Tür",
    "Public": "Herkese açık",
    "Show the summary on the public site.": "Özeti herkese açık sitede göster.",
    "Embargo (UTC)": "Ambargo (UTC)",
    "Editorial note": "Editör notu",
    "Saved: version {version}, {time}": "Kaydedildi: sürüm {version}, {time}",
    "Save": "Kaydet",
    "Submit to desk": "Masaya gönder",
    "Publish as correction": "Düzeltme olarak yayımla",
    "Stage": "Aşama",
    "Move": "Taşı",
    "Restore": "Geri getir",
    "Spike": "Rafa kaldır",
    "Preview": "Önizleme",
    "Public summary": "Herkese açık özet",
    "Text": "Metin biçimi",
    "Version {version}, {change}, {time}": "Sürüm {version}, {change}, {time}",
    "History, versions and deliveries": "Geçmiş, sürümler ve gönderimler",
    "Lift embargo now": "Ambargoyu şimdi kaldır",
    "Kill story": "Haberi geri çek",
    "Reason": "Gerekçe",
    "Subscribers receive: “This story has been withdrawn. <reason> Do not use; delete it "
    "from your systems.”": (
        "Aboneler şunu alır: “This story has been withdrawn. <gerekçe> Do not use; delete it "
        "from your systems.”"
    ),
    "This draft cannot be filed yet:": "Bu taslak henüz gönderilemez:",
    "Not on the public site: the story is not public, or the site's rules keep it off.": (
        "Herkese açık sitede değil: haber herkese açık değil ya da sitenin kuralları göstermiyor."
    ),
    "Back to the story": "Habere dön",
    "narrower:": "alt konular:",
    "No topic matches.": "Eşleşen konu yok.",
    "Saved.": "Kaydedildi.",
    "Submitted to the desk.": "Masaya gönderildi.",
    "Published on the wire.": "Ajansta yayımlandı.",
    "The update is on the wire.": "Güncelleme ajansta.",
    "The correction is on the wire.": "Düzeltme ajansta.",
    "The story was killed; subscribers were told.": "Haber geri çekildi; abonelere bildirildi.",
    "The embargo was lifted.": "Ambargo kaldırıldı.",
    "Unlocked.": "Kilit açıldı.",
    "Spiked.": "Rafa kaldırıldı.",
    "Restored.": "Geri getirildi.",
    "Moved.": "Taşındı.",
    "Not filed: see the fields marked below.": "Gönderilmedi: aşağıda işaretli alanlara bakın.",
    "flash": "flaş",
    "urgent": "acil",
    "important": "önemli",
    "routine": "olağan",
    "History": "Geçmiş",
    "Versions": "Sürümler",
    "Deliveries": "Gönderimler",
    "Compare": "Karşılaştır",
    "Desk setup": "Masa ayarları",
    "Stages": "Aşamalar",
    "Stages, in order, one per line": "Aşamalar, sırayla, her satıra bir tane",
    "Submitted stories start at the first. A story at a stage you remove keeps its column "
    "until it moves on.": (
        "Gönderilen haberler ilk aşamadan başlar. Kaldırdığınız bir aşamadaki haber, "
        "taşınana dek sütununu korur."
    ),
    "Save stages": "Aşamaları kaydet",
    "The agency's sections, one per line": "Ajansın bölümleri, her satıra bir tane",
    "Stories may be filed only under these, from the desk and the API. Rename one by editing "
    "its line; retire one by removing it (stories already filed keep it). Leave it empty to "
    "accept any name.": "Haberler masadan da API'den de yalnızca bu bölümlerle gönderilebilir. "
    "Bir bölümün adını satırını düzelterek değiştirin; satırını silerek kullanımdan kaldırın "
    "(gönderilmiş haberler onu korur). Her adı kabul etmek için boş bırakın.",
    "Save sections": "Bölümleri kaydet",
    "Desks": "Masalar",
    "News": "Haber",
    "{desk} desk": "{desk} masası",
    "Desks and their stages": "Masalar ve aşamaları",
    "Stages of the {desk} desk, in order, one per line": (
        "{desk} masasının aşamaları, sırayla, her satıra bir tane"
    ),
    "Add a desk": "Masa ekle",
    "Desk name": "Masa adı",
    "Its stages, in order, one per line": "Aşamaları, sırayla, her satıra bir tane",
    "Add desk": "Masayı ekle",
    "Move to desk": "Masaya taşı",
    "The desk is added.": "Masa eklendi.",
    "The monitoring view's columns are saved.": "İzleme görünümünün sütunları kaydedildi.",
    "Search columns of the {desk} desk": "{desk} masasının arama sütunları",
    "Remove": "Kaldır",
    "Search": "Arama",
    "Column name": "Sütun adı",
    "Search over the wire": "Haber akışında arama",
    "The archive's search language, e.g. cup AND (final OR semifinal) -football": (
        "Arşivin arama dili, ör. kupa AND (final OR yarıfinal) -futbol"
    ),
    "Add column": "Sütunu ekle",
    "Pictures": "Fotoğraflar",
    "Picture {id} is no longer on the wire.": "{id} fotoğrafı artık yayında değil.",
    "Featured": "Öne çıkan",
    "Make featured": "Öne çıkar",
    "No pictures yet.": "Henüz fotoğraf yok.",
    "Upload a picture": "Fotoğraf yükle",
    "JPEG, PNG, WebP or HEIC. It is filed on the wire as a picture of its own.": (
        "JPEG, PNG, WebP ya da HEIC. Kendi başına bir fotoğraf olarak yayına gönderilir."
    ),
    "Caption": "Altyazı",
    "Text alternative": "Metin alternatifi",
    "Upload": "Yükle",
    "Pick a picture already filed": "Gönderilmiş bir fotoğraf seçin",
    "Use this picture": "Bu fotoğrafı kullan",
    "The story's pictures are saved.": "Haberin fotoğrafları kaydedildi.",
    "The sections are saved.": "Bölümler kaydedildi.",
    "Templates": "Şablonlar",
    "Save a story as a template from its editor; start one with New story.": (
        "Bir haberi düzenleyicisinden şablon olarak kaydedin; Yeni haber ile başlatın."
    ),
    "Name": "Ad",
    "Made by": "Hazırlayan",
    "When": "Ne zaman",
    "Who": "Kim",
    "Version": "Sürüm",
    "Change": "Değişiklik",
    "Delete": "Sil",
    "Delete {name}": "{name} sil",
    "No templates yet.": "Henüz şablon yok.",
    "From template": "Şablondan",
    "(none)": "(yok)",
    "Template name": "Şablon adı",
    "Save as template": "Şablon olarak kaydet",
    "Saved as a template.": "Şablon olarak kaydedildi.",
    "The stages are saved.": "Aşamalar kaydedildi.",
    "The template is deleted.": "Şablon silindi.",
    "From version": "Şu sürümden",
    "To version": "Şu sürüme",
    "Subscriber": "Abone",
    "Channel": "Kanal",
    "Format": "Biçim",
    "Webhook": "Webhook",
    "delivered": "teslim edildi",
    "failed": "başarısız",
    "attempt {n}": "{n}. deneme",
    "No difference.": "Fark yok.",
    "the system": "sistem",
    "No subscriber has received a full version yet.": "Henüz hiçbir abone tam sürüm almadı.",
    "Filed through the API; the versions above say who and when.": (
        "API üzerinden gönderildi; yukarıdaki sürümler kimin ve ne zaman yaptığını gösterir."
    ),
    "Formatting": "Biçimlendirme",
    "You may read this story; only its author or an editor may change it.": (
        "Bu haberi okuyabilirsiniz; yalnızca yazarı ya da bir editör değiştirebilir."
    ),
    "Sub-head": "Ara başlık",
    "Quote": "Alıntı",
    "Paragraph": "Paragraf",
    "Minor heading": "Küçük başlık",
    "Bulleted list": "Madde işaretli liste",
    "Numbered list": "Numaralı liste",
    "Italic": "İtalik",
    "Add link": "Bağlantı ekle",
    "In the body: bold / italic / link": "Metinde: kalın / italik / bağlantı",
    "Cancel": "Vazgeç",
    "Link": "Bağlantı",
    "Bold": "Kalın",
    "Link address (https://...)": "Bağlantı adresi (https://...)",
    "Filter": "Süz",
    "Filter the items": "Öğeleri süz",
    "What changed from version {a} to {b}": "{a}. sürümden {b}. sürüme ne değişti",
}

DESK_CATALOG = Catalog({"tr": TURKISH})


# What the desk's JavaScript writes on the page: handed to it translated, in a meta tag
# of every desk page (`desk/page.html`), since a static file cannot be translated.
SCRIPT_STRINGS = (
    "Your session ended. Sign in again.",
    "Restored what you typed before the page was reloaded; saving…",
    "Saving…",
    "Not saved: the desk cannot be reached. Your text is kept here.",
    "Saved: version {version}, {time} UTC",
    "Not saved.",
    (
        "Your session ended. Your text is kept in this browser: sign in again "
        "({url}) and reopen this story."
    ),
    "Remove {name}",
)

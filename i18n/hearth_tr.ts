<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="tr_TR">
<context>
    <name>AboutDialog</name>
    <message>
        <source>Qt 6 and PySide6 (PySide6-Essentials)</source>
        <translation>Qt 6 ve PySide6 (PySide6-Essentials)</translation>
    </message>
    <message>
        <source>LGPL-3.0 (dynamically linked, unmodified)</source>
        <translation>LGPL-3.0 (dinamik bağlı, değiştirilmemiş)</translation>
    </message>
    <message>
        <source>numpy (with OpenBLAS)</source>
        <translation>numpy (OpenBLAS ile)</translation>
    </message>
    <message>
        <source>Apache-2.0 or BSD-3-Clause</source>
        <translation>Apache-2.0 veya BSD-3-Clause</translation>
    </message>
    <message>
        <source>not checked ({error})</source>
        <translation>denetlenmedi ({error})</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ayarlar</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modeller</translation>
    </message>
    <message>
        <source>Chats</source>
        <translation>Sohbetler</translation>
    </message>
    <message>
        <source>Log file</source>
        <translation>Günlük dosyası</translation>
    </message>
    <message>
        <source>llama.cpp could not be loaded: {error}</source>
        <translation>llama.cpp yüklenemedi: {error}</translation>
    </message>
    <message>
        <source>llama-cpp-python {version}, GPU offload supported in this build</source>
        <translation>llama-cpp-python {version}, bu derlemede GPU&apos;ya aktarma destekleniyor</translation>
    </message>
    <message>
        <source>llama-cpp-python {version}, GPU offload not supported in this build</source>
        <translation>llama-cpp-python {version}, bu derlemede GPU&apos;ya aktarma desteklenmiyor</translation>
    </message>
    <message>
        <source>Configuration: {config}</source>
        <translation>Yapılandırma: {config}</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>{app} Hakkında</translation>
    </message>
    <message>
        <source>About title</source>
        <translation>Hakkında başlığı</translation>
    </message>
    <message>
        <source>About details</source>
        <translation>Hakkında ayrıntıları</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopyala</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Ayrıntıları kopyala</translation>
    </message>
    <message>
        <source>Copy these details, e.g. for a bug report</source>
        <translation>Bu ayrıntıları kopyalayın, örneğin bir hata raporu için</translation>
    </message>
    <message>
        <source>Run small language models on your own computer, fully offline.</source>
        <translation>Küçük dil modellerini kendi bilgisayarınızda, tamamen çevrimdışı çalıştırın.</translation>
    </message>
    <message>
        <source>Checking llama.cpp…</source>
        <translation>llama.cpp denetleniyor…</translation>
    </message>
    <message>
        <source>installed bundle</source>
        <translation>kurulu paket</translation>
    </message>
    <message>
        <source>from source</source>
        <translation>kaynaktan</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Sürüm</translation>
    </message>
    <message>
        <source>Your data</source>
        <translation>Verileriniz</translation>
    </message>
    <message>
        <source>Licences</source>
        <translation>Lisanslar</translation>
    </message>
    <message>
        <source>Full licence texts: {path}</source>
        <translation>Lisans metinlerinin tamamı: {path}</translation>
    </message>
    <message>
        <source>Hearth never sends your chats or models anywhere.</source>
        <translation>Hearth sohbetlerinizi ya da modellerinizi hiçbir yere göndermez.</translation>
    </message>
</context>
<context>
    <name>AdaptersSection</name>
    <message>
        <source>Adapters and vision</source>
        <translation>Bağdaştırıcılar ve görüntü</translation>
    </message>
    <message>
        <source>No adapters for this model</source>
        <translation>Bu model için bağdaştırıcı yok</translation>
    </message>
    <message>
        <source>Vision projector:</source>
        <translation>Görüntü projektörü:</translation>
    </message>
    <message>
        <source>none (text only)</source>
        <translation>yok (yalnızca metin)</translation>
    </message>
    <message>
        <source>Vision projector</source>
        <translation>Görüntü projektörü</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Seç…</translation>
    </message>
    <message>
        <source>Choose vision projector</source>
        <translation>Görüntü projektörünü seç</translation>
    </message>
    <message>
        <source>Use another mmproj file with this model (it must be made for its width).</source>
        <translation>Bu modelle başka bir mmproj dosyası kullan (modelin genişliğine göre yapılmış olmalı).</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Temizle</translation>
    </message>
    <message>
        <source>Clear vision projector</source>
        <translation>Görüntü projektörünü temizle</translation>
    </message>
    <message>
        <source>Forget the chosen file: the library&apos;s pairing is used again.</source>
        <translation>Seçilen dosyayı unut: kitaplığın eşleştirmesi yeniden kullanılır.</translation>
    </message>
    <message>
        <source>{name} is no longer there.</source>
        <translation>{name} artık yerinde değil.</translation>
    </message>
    <message>
        <source>{name} (chosen)</source>
        <translation>{name} (seçildi)</translation>
    </message>
    <message>
        <source>{name} (chosen, not used; using {paired})</source>
        <translation>{name} (seçildi, kullanılmıyor; {paired} kullanılıyor)</translation>
    </message>
    <message>
        <source>{name} (chosen, not used; text only)</source>
        <translation>{name} (seçildi, kullanılmıyor; yalnızca metin)</translation>
    </message>
    <message>
        <source>{name} (from the library)</source>
        <translation>{name} (kitaplıktan)</translation>
    </message>
    <message>
        <source>Adapter {name}</source>
        <translation>Bağdaştırıcı {name}</translation>
    </message>
    <message>
        <source>{name}: LoRA adapter, alpha {alpha}, rank {rank}, {size}</source>
        <translation>{name}: LoRA bağdaştırıcısı, alfa {alpha}, rank {rank}, {size}</translation>
    </message>
    <message>
        <source>Scale of {name}</source>
        <translation>{name} ölçeği</translation>
    </message>
    <message>
        <source>How strongly the adapter changes the model (1.0: as trained; 0: not at all).</source>
        <translation>Bağdaştırıcının modeli ne kadar değiştireceği (1.0: eğitildiği gibi; 0: hiç).</translation>
    </message>
    <message>
        <source>Choose a vision projector</source>
        <translation>Bir görüntü projektörü seçin</translation>
    </message>
    <message>
        <source>GGUF files</source>
        <translation>GGUF dosyaları</translation>
    </message>
    <message>
        <source>{problem}

The projector was not changed.</source>
        <translation>{problem}

Projektör değiştirilmedi.</translation>
    </message>
</context>
<context>
    <name>AddBackendDialog</name>
    <message>
        <source>Add backend</source>
        <translation>Arka uç ekle</translation>
    </message>
    <message>
        <source>The address of a model server: llama.cpp&apos;s llama-server, vLLM, Ollama, LM Studio, another Hearth or any OpenAI-compatible server. With or without /v1 at the end.</source>
        <translation>Bir model sunucusunun adresi: llama.cpp&apos;nin llama-server&apos;ı, vLLM, Ollama, LM Studio, başka bir Hearth ya da OpenAI uyumlu herhangi bir sunucu. Sonunda /v1 olsa da olur, olmasa da.</translation>
    </message>
    <message>
        <source>Backend address</source>
        <translation>Arka uç adresi</translation>
    </message>
    <message>
        <source>Address problem</source>
        <translation>Adres sorunu</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>isteğe bağlı</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API anahtarı</translation>
    </message>
    <message>
        <source>Kept in your system&apos;s keyring, never in Hearth&apos;s settings or logs.</source>
        <translation>Sisteminizin anahtar zincirinde saklanır; asla Hearth&apos;ın ayarlarında ya da günlüklerinde değil.</translation>
    </message>
    <message>
        <source>Check result</source>
        <translation>Denetim sonucu</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Denetle</translation>
    </message>
    <message>
        <source>Check backend</source>
        <translation>Arka ucu denetle</translation>
    </message>
    <message>
        <source>Ask the server what it is and which models it serves</source>
        <translation>Sunucuya ne olduğunu ve hangi modelleri sunduğunu sor</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Ekle</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Vazgeç</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Adres:</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API anahtarı:</translation>
    </message>
    <message>
        <source>An API key has no spaces in it: check what you pasted.</source>
        <translation>API anahtarında boşluk olmaz: yapıştırdığınız metni kontrol edin.</translation>
    </message>
    <message>
        <source>Not checked: Hearth did not connect to {host}.</source>
        <translation>Denetlenmedi: Hearth, {host} adresine bağlanmadı.</translation>
    </message>
    <message>
        <source>Checking {url}…</source>
        <translation>{url} denetleniyor…</translation>
    </message>
    <message>
        <source>The server asks for an API key (or a different one). Enter it in the API key field and press Check again.

{error}</source>
        <translation>Sunucu bir API anahtarı (ya da farklı bir anahtar) istiyor. Anahtarı API anahtarı alanına girip yeniden Denetle&apos;ye basın.

{error}</translation>
    </message>
    <message>
        <source>Could not add {url}: {error}</source>
        <translation>{url} eklenemedi: {error}</translation>
    </message>
</context>
<context>
    <name>AttachmentStrip</name>
    <message>
        <source>Attached images</source>
        <translation>Eklenen görseller</translation>
    </message>
    <message>
        <source>{name}: {width} × {height} pixels, sent as {sent_width} × {sent_height} ({size})</source>
        <translation>{name}: {width} × {height} piksel, {sent_width} × {sent_height} olarak gönderilir ({size})</translation>
    </message>
    <message>
        <source>{name}: {width} × {height} pixels ({size})</source>
        <translation>{name}: {width} × {height} piksel ({size})</translation>
    </message>
    <message>
        <source>Image {name}</source>
        <translation>Görsel {name}</translation>
    </message>
    <message>
        <source>Remove image {name}</source>
        <translation>{name} görselini kaldır</translation>
    </message>
    <message>
        <source>Remove {name} from this message</source>
        <translation>{name} görselini bu mesajdan kaldır</translation>
    </message>
</context>
<context>
    <name>Backends</name>
    <message>
        <source>A server on the internet</source>
        <translation>İnternetteki bir sunucu</translation>
    </message>
    <message>
        <source>{host} is on the internet, not on this computer or your local network. If you use it, the conversation will leave this machine and go over the internet to {host}.</source>
        <translation>{host} bu bilgisayarda ya da yerel ağınızda değil, internette. Kullanırsanız konuşma bu makineden çıkıp internet üzerinden {host} adresine gider.</translation>
    </message>
    <message>
        <source>Whoever runs that server can read what you send to its models. This address uses http://: the text would also travel unencrypted. Use it only if you trust that server.</source>
        <translation>Bu sunucuyu çalıştıran kişi, modellerine gönderdiklerinizi okuyabilir. Bu adres http:// kullanıyor: metin ayrıca şifrelenmeden iletilir. Yalnızca bu sunucuya güveniyorsanız kullanın.</translation>
    </message>
    <message>
        <source>Whoever runs that server can read what you send to its models. Use it only if you trust that server.</source>
        <translation>Bu sunucuyu çalıştıran kişi, modellerine gönderdiklerinizi okuyabilir. Yalnızca bu sunucuya güveniyorsanız kullanın.</translation>
    </message>
    <message>
        <source>Use this server</source>
        <translation>Bu sunucuyu kullan</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Vazgeç</translation>
    </message>
    <message numerus="yes">
        <source>Found {what} at {url}, serving %n model(s). You can add it now and refresh it once it serves a model.</source>
        <translation>
            <numerusform>{url} adresinde {what} bulundu, %n model sunuyor. Şimdi ekleyebilir, bir model sunmaya başlayınca yenileyebilirsiniz.</numerusform>
        </translation>
    </message>
    <message>
        <source>Found {what} at {url}, serving %n model(s) (context: {context}):</source>
        <translation>{url} adresinde {what} bulundu, %n model sunuyor (bağlam: {context}):</translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation>… ve {n} tane daha</translation>
    </message>
    <message>
        <source>Press Add to list them in the Chat page&apos;s model picker.</source>
        <translation>Sohbet sayfasının model seçicisinde listelemek için Ekle&apos;ye basın.</translation>
    </message>
    <message>
        <source>{what} · on the internet</source>
        <translation>{what} · internette</translation>
    </message>
    <message>
        <source>none served</source>
        <translation>sunulan yok</translation>
    </message>
    <message>
        <source>not said (estimated)</source>
        <translation>belirtilmemiş (tahmini)</translation>
    </message>
    <message>
        <source>{n} tokens</source>
        <translation>{n} belirteç</translation>
    </message>
    <message>
        <source>{low}–{high} tokens</source>
        <translation>{low}–{high} belirteç</translation>
    </message>
    <message>
        <source>{context} (some not said)</source>
        <translation>{context} (bazıları belirtilmemiş)</translation>
    </message>
    <message>
        <source>context {n} tokens</source>
        <translation>bağlam {n} belirteç</translation>
    </message>
    <message>
        <source>context not said (Hearth estimates it)</source>
        <translation>bağlam belirtilmemiş (Hearth tahmin eder)</translation>
    </message>
    <message>
        <source>kept in the keyring</source>
        <translation>anahtar zincirinde saklı</translation>
    </message>
    <message>
        <source>none</source>
        <translation>yok</translation>
    </message>
    <message>
        <source>never</source>
        <translation>hiç</translation>
    </message>
    <message>
        <source>{kind} at {url}</source>
        <translation>{url} adresinde {kind}</translation>
    </message>
    <message>
        <source>On the internet: conversations with its models leave this computer.</source>
        <translation>İnternette: modelleriyle yapılan konuşmalar bu bilgisayardan çıkar.</translation>
    </message>
    <message>
        <source>Checked {time}</source>
        <translation>Denetlendi: {time}</translation>
    </message>
</context>
<context>
    <name>BackendsModel</name>
    <message>
        <source>Address</source>
        <translation>Adres</translation>
    </message>
    <message>
        <source>What it is</source>
        <translation>Türü</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modeller</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Bağlam</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Anahtar</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>Denetlendi</translation>
    </message>
</context>
<context>
    <name>BackendsTab</name>
    <message>
        <source>No backends yet. Use a model served by a bigger machine: llama.cpp&apos;s llama-server, vLLM, Ollama, LM Studio or another Hearth, on this computer or your local network. Press Add backend… and enter the server&apos;s address; its models then appear in the Chat page&apos;s model picker, next to your local ones. How to start each server so that Hearth can reach it: docs/remote.md (&quot;Chat with a model on a bigger machine&quot;).</source>
        <translation>Henüz arka uç yok. Daha güçlü bir makinenin sunduğu bir modeli kullanın: llama.cpp&apos;nin llama-server&apos;ı, vLLM, Ollama, LM Studio ya da başka bir Hearth; bu bilgisayarda veya yerel ağınızda. “Arka uç ekle…” düğmesine basıp sunucunun adresini girin; modelleri, yerel modellerinizin yanında Sohbet sayfasının model seçicisinde görünür. Her sunucuyu Hearth&apos;ın erişebileceği şekilde nasıl başlatacağınız: docs/remote.md (&quot;Chat with a model on a bigger machine&quot;).</translation>
    </message>
    <message>
        <source>Backends</source>
        <translation>Arka uçlar</translation>
    </message>
    <message>
        <source>Backends status</source>
        <translation>Arka uç durumu</translation>
    </message>
    <message>
        <source>Add backend…</source>
        <translation>Arka uç ekle…</translation>
    </message>
    <message>
        <source>Add backend</source>
        <translation>Arka uç ekle</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Yenile</translation>
    </message>
    <message>
        <source>Refresh backend</source>
        <translation>Arka ucu yenile</translation>
    </message>
    <message>
        <source>Set key…</source>
        <translation>Anahtar belirle…</translation>
    </message>
    <message>
        <source>Set API key</source>
        <translation>API anahtarı belirle</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Kaldır…</translation>
    </message>
    <message>
        <source>Remove backend</source>
        <translation>Arka ucu kaldır</translation>
    </message>
    <message>
        <source>Ask the server again which models it serves</source>
        <translation>Sunucuya hangi modelleri sunduğunu yeniden sor</translation>
    </message>
    <message>
        <source>Enter, change or remove the API key Hearth sends to this server</source>
        <translation>Hearth&apos;ın bu sunucuya gönderdiği API anahtarını girin, değiştirin ya da kaldırın</translation>
    </message>
    <message>
        <source>Actions for {url}</source>
        <translation>{url} için eylemler</translation>
    </message>
    <message>
        <source>Added {what} at {url} with 1 model: pick it in the Chat page&apos;s model picker.</source>
        <translation>{url} adresindeki {what} 1 modelle eklendi: modeli Sohbet sayfasının model seçicisinden seçin.</translation>
    </message>
    <message>
        <source>Added {what} at {url} with %n model(s): pick them in the Chat page&apos;s model picker.</source>
        <translation>{url} adresindeki {what} %n modelle eklendi: modelleri Sohbet sayfasının model seçicisinden seçin.</translation>
    </message>
    <message>
        <source>Checking {name} again…</source>
        <translation>{name} yeniden denetleniyor…</translation>
    </message>
    <message>
        <source>Could not save what {name} serves: {error}</source>
        <translation>{name} sunucusunun sundukları kaydedilemedi: {error}</translation>
    </message>
    <message>
        <source>{name}: {what}, %n model(s) ({models}).</source>
        <translation>{name}: {what}, %n model ({models}).</translation>
    </message>
    <message numerus="yes">
        <source>{name}: {what}, %n model(s).</source>
        <translation>
            <numerusform>{name}: {what}, %n model.</numerusform>
        </translation>
    </message>
    <message>
        <source>The server asks for an API key (or a different one). Press Set key… to enter it for {name}.
{error}</source>
        <translation>Sunucu bir API anahtarı (ya da farklı bir anahtar) istiyor. {name} için girmek üzere “Anahtar belirle…” düğmesine basın.
{error}</translation>
    </message>
    <message>
        <source>Could not refresh {name}: {error}</source>
        <translation>{name} yenilenemedi: {error}</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API anahtarı</translation>
    </message>
    <message>
        <source>The API key for {url}.
It is kept in your system&apos;s keyring. Leave the field empty to remove the key Hearth keeps for it.</source>
        <translation>{url} için API anahtarı.
Sisteminizin anahtar zincirinde saklanır. Hearth&apos;ın bu sunucu için sakladığı anahtarı kaldırmak için alanı boş bırakın.</translation>
    </message>
    <message>
        <source>The key was not kept: {error}</source>
        <translation>Anahtar saklanamadı: {error}</translation>
    </message>
    <message>
        <source>Key kept for {name}.</source>
        <translation>{name} için anahtar saklandı.</translation>
    </message>
    <message>
        <source>Key removed for {name}.</source>
        <translation>{name} için anahtar kaldırıldı.</translation>
    </message>
    <message>
        <source>Remove {url}? Its models leave the Chat page&apos;s model picker. Hearth also forgets its API key. The server itself is not changed.</source>
        <translation>{url} kaldırılsın mı? Modelleri Sohbet sayfasının model seçicisinden çıkar. Hearth API anahtarını da unutur. Sunucunun kendisi değişmez.</translation>
    </message>
    <message>
        <source>Remove {url}? Its models leave the Chat page&apos;s model picker. The server itself is not changed.</source>
        <translation>{url} kaldırılsın mı? Modelleri Sohbet sayfasının model seçicisinden çıkar. Sunucunun kendisi değişmez.</translation>
    </message>
    <message>
        <source>Removed {url}.</source>
        <translation>{url} kaldırıldı.</translation>
    </message>
</context>
<context>
    <name>BreakdownChart</name>
    <message>
        <source>Weights</source>
        <translation>Ağırlıklar</translation>
    </message>
    <message>
        <source>KV cache</source>
        <translation>KV önbelleği</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>Hesaplama</translation>
    </message>
    <message>
        <source>Memory breakdown chart</source>
        <translation>Bellek dağılımı grafiği</translation>
    </message>
    <message>
        <source>{model}: {parts}; needs {need} of {available} available</source>
        <translation>{model}: {parts}; gereken {need}, kullanılabilir {available}</translation>
    </message>
    <message>
        <source>Select a model to see its memory breakdown</source>
        <translation>Bellek dağılımını görmek için bir model seçin</translation>
    </message>
    <message>
        <source>{model}: needs {need} with overhead, {available} available</source>
        <translation>{model}: ek yükle birlikte {need} gerekiyor, {available} kullanılabilir</translation>
    </message>
    <message>
        <source>┆ available</source>
        <translation>┆ kullanılabilir</translation>
    </message>
</context>
<context>
    <name>ChatAccessible</name>
    <message>
        <source>You</source>
        <translation>Siz</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Asistan</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Sistem istemi</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>Bildirim</translation>
    </message>
    <message>
        <source>still writing</source>
        <translation>hâlâ yazıyor</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>durduruldu</translation>
    </message>
    <message>
        <source>error</source>
        <translation>hata</translation>
    </message>
    <message>
        <source>your message</source>
        <translation>mesajınız</translation>
    </message>
    <message>
        <source>reply</source>
        <translation>yanıt</translation>
    </message>
    <message>
        <source>system prompt</source>
        <translation>sistem istemi</translation>
    </message>
    <message>
        <source>notice</source>
        <translation>bildirim</translation>
    </message>
    <message>
        <source>Up and Down move between messages; Left and Right choose an action, Enter runs it; the Menu key lists them</source>
        <translation>Yukarı ve Aşağı tuşları mesajlar arasında gezinir; Sol ve Sağ bir eylem seçer, Enter onu çalıştırır; Menü tuşu eylemleri listeler</translation>
    </message>
    <message>
        <source>interrupted: the engine crashed during this reply</source>
        <translation>yarıda kaldı: bu yanıt sırasında motor çöktü</translation>
    </message>
    <message>
        <source>interrupted: the app closed</source>
        <translation>yarıda kaldı: uygulama kapandı</translation>
    </message>
    <message>
        <source>version {index} of {count}</source>
        <translation>sürüm {index}/{count}</translation>
    </message>
    <message>
        <source>left out of what the model sees</source>
        <translation>modelin gördüklerinin dışında bırakıldı</translation>
    </message>
    <message>
        <source>actions: {names}</source>
        <translation>eylemler: {names}</translation>
    </message>
    <message>
        <source>Reply stopped</source>
        <translation>Yanıt durduruldu</translation>
    </message>
    <message>
        <source>Reply interrupted</source>
        <translation>Yanıt yarıda kaldı</translation>
    </message>
    <message>
        <source>Reply failed</source>
        <translation>Yanıt başarısız oldu</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Yanıt</translation>
    </message>
    <message>
        <source>{how}, with no text.</source>
        <translation>{how}, metin yok.</translation>
    </message>
</context>
<context>
    <name>ChatExport</name>
    <message>
        <source>System</source>
        <translation>Sistem</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Kullanıcı</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Asistan</translation>
    </message>
    <message>
        <source>a chat export must be a JSON object, not {type}</source>
        <translation>sohbet dışa aktarımı bir JSON nesnesi olmalıdır (bu bir {type})</translation>
    </message>
    <message>
        <source>not a Hearth chat export (format is {found}, expected {expected})</source>
        <translation>bu bir Hearth sohbet dışa aktarımı değil (biçim: {found}, beklenen: {expected})</translation>
    </message>
    <message>
        <source>unsupported chat export version {version} (this Hearth reads 1..{latest})</source>
        <translation>desteklenmeyen sohbet dışa aktarımı sürümü: {version} (bu Hearth 1..{latest} sürümlerini okur)</translation>
    </message>
    <message>
        <source>the export has no &apos;conversation&apos; object</source>
        <translation>dışa aktarımda &apos;conversation&apos; nesnesi yok</translation>
    </message>
    <message>
        <source>the export has no &apos;messages&apos; list</source>
        <translation>dışa aktarımda &apos;messages&apos; listesi yok</translation>
    </message>
    <message>
        <source>conversation.current_leaf {leaf} is not one of the exported messages</source>
        <translation>conversation.current_leaf değeri ({leaf}) dışa aktarılan mesajlardan biri değil</translation>
    </message>
    <message>
        <source>{where} has no {key}</source>
        <translation>{where} içinde {key} alanı yok</translation>
    </message>
    <message>
        <source>{where} must be an object</source>
        <translation>{where} bir nesne olmalıdır</translation>
    </message>
    <message>
        <source>{where}.{name} must be an integer, not {value}</source>
        <translation>{where}.{name} bir tamsayı olmalıdır (verilen değer: {value})</translation>
    </message>
    <message>
        <source>{where}.id must be an integer</source>
        <translation>{where}.id bir tamsayı olmalıdır</translation>
    </message>
    <message>
        <source>message id {id} appears twice</source>
        <translation>mesaj kimliği {id} iki kez geçiyor</translation>
    </message>
    <message>
        <source>the parent links of message {id} form a cycle</source>
        <translation>{id} numaralı mesajın üst mesaj bağlantıları bir döngü oluşturuyor</translation>
    </message>
    <message>
        <source>message {id} has parent_id {parent} which is not in the export</source>
        <translation>{id} numaralı mesajın parent_id değeri ({parent}) dışa aktarımda bulunmuyor</translation>
    </message>
    <message>
        <source>reply interrupted</source>
        <translation>yanıt yarıda kaldı</translation>
    </message>
    <message>
        <source>stopped by the user</source>
        <translation>kullanıcı tarafından durduruldu</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>başarısız oldu</translation>
    </message>
    <message>
        <source>still being written</source>
        <translation>hâlâ yazılıyor</translation>
    </message>
    <message>
        <source>Hearth chat, started {when}, model {model}</source>
        <translation>Hearth sohbeti, başlangıç: {when}, model: {model}</translation>
    </message>
    <message>
        <source>Hearth chat, started {when}</source>
        <translation>Hearth sohbeti, başlangıç: {when}</translation>
    </message>
    <message>
        <source>image {number}</source>
        <translation>görsel {number}</translation>
    </message>
</context>
<context>
    <name>ChatImages</name>
    <message>
        <source>An image must be a data: URI text, not {type}.</source>
        <translation>Bir görsel, data: URI metni olmalıdır (bu bir {type}).</translation>
    </message>
    <message>
        <source>The image {uri} is an address, not an embedded image; Hearth never fetches an image from the web or a file address (only data:image/png or data:image/jpeg).</source>
        <translation>Bu görsel gömülü bir görsel değil, bir adres: {uri}. Hearth görselleri asla web&apos;den ya da bir dosya adresinden getirmez (yalnızca data:image/png veya data:image/jpeg kabul edilir).</translation>
    </message>
    <message>
        <source>The image {uri} is not an embedded PNG or JPEG (data:image/png;base64 or data:image/jpeg;base64).</source>
        <translation>Bu görsel gömülü bir PNG ya da JPEG değil: {uri} (data:image/png;base64 veya data:image/jpeg;base64 olmalıdır).</translation>
    </message>
    <message>
        <source>The image {uri} has damaged base64 data.</source>
        <translation>Görselin base64 verisi hasarlı: {uri}.</translation>
    </message>
    <message>
        <source>An image is larger than {mib} MiB; Hearth takes smaller ones.</source>
        <translation>Bir görsel {mib} MiB sınırından büyük; Hearth daha küçük görselleri kabul eder.</translation>
    </message>
    <message>
        <source>An image marked PNG does not hold a PNG image (damaged, or another format).</source>
        <translation>PNG olarak işaretlenmiş bir görsel PNG görseli içermiyor (hasarlı ya da başka bir biçimde).</translation>
    </message>
    <message>
        <source>An image marked JPEG does not hold a JPEG image (damaged, or another format).</source>
        <translation>JPEG olarak işaretlenmiş bir görsel JPEG görseli içermiyor (hasarlı ya da başka bir biçimde).</translation>
    </message>
    <message>
        <source>Images must be PNG or JPEG, not {mime}.</source>
        <translation>Görseller PNG ya da JPEG olmalıdır (bu görselin türü: {mime}).</translation>
    </message>
    <message>
        <source>{where} must be a list of data: URIs, not {type}.</source>
        <translation>{where} bir data: URI listesi olmalıdır (bu bir {type}).</translation>
    </message>
    <message>
        <source>{where} holds {count} images; a message takes at most {most}.</source>
        <translation>{where} içinde {count} görsel var; bir mesaja en fazla {most} görsel eklenebilir.</translation>
    </message>
    <message>
        <source>{where}[{index}]: {error}</source>
        <translation>{where}[{index}]: {error}</translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <source>This model cannot see images; load a model with a vision projector.</source>
        <translation>Bu model görselleri göremez; görüntü projektörü olan bir model yükleyin.</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Yükle</translation>
    </message>
    <message>
        <source>Load model</source>
        <translation>Modeli yükle</translation>
    </message>
    <message>
        <source>Unload</source>
        <translation>Boşalt</translation>
    </message>
    <message>
        <source>Unload model</source>
        <translation>Modeli boşalt</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ayarlar</translation>
    </message>
    <message>
        <source>Chat settings</source>
        <translation>Sohbet ayarları</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Model:</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Hata</translation>
    </message>
    <message>
        <source>Retry with safe settings</source>
        <translation>Güvenli ayarlarla yeniden dene</translation>
    </message>
    <message>
        <source>Hint</source>
        <translation>İpucu</translation>
    </message>
    <message>
        <source>Download a starter model</source>
        <translation>Başlangıç modeli indir</translation>
    </message>
    <message>
        <source>SmolLM2 135M Instruct (98 MB) from Hugging Face: small, fast, good for a first try</source>
        <translation>Hugging Face&apos;ten SmolLM2 135M Instruct (98 MB): küçük, hızlı, ilk deneme için ideal</translation>
    </message>
    <message>
        <source>Import a model file…</source>
        <translation>Model dosyası içe aktar…</translation>
    </message>
    <message>
        <source>Import a model file</source>
        <translation>Model dosyası içe aktar</translation>
    </message>
    <message>
        <source>A .gguf file you already have; it is used where it is</source>
        <translation>Elinizdeki bir .gguf dosyası; bulunduğu yerden kullanılır</translation>
    </message>
    <message>
        <source>Editing</source>
        <translation>Düzenleme</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mesaj</translation>
    </message>
    <message>
        <source>Write a message… (Enter or Ctrl+Enter to send, Shift+Enter for a new line)</source>
        <translation>Bir mesaj yazın… (göndermek için Enter veya Ctrl+Enter, yeni satır için Shift+Enter)</translation>
    </message>
    <message>
        <source>Attach…</source>
        <translation>Ekle…</translation>
    </message>
    <message>
        <source>Attach image</source>
        <translation>Görsel ekle</translation>
    </message>
    <message>
        <source>Attach an image to the message (PNG, JPEG, WebP, …). You can also paste one into the message box or drop image files here; up to {count}.</source>
        <translation>Mesaja bir görsel ekleyin (PNG, JPEG, WebP, …). Görseli mesaj kutusuna yapıştırabilir veya görsel dosyalarını buraya bırakabilirsiniz; en fazla {count}.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Gönder</translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation>Gönder (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Durdur</translation>
    </message>
    <message>
        <source>Stop generating (Esc)</source>
        <translation>Yanıtı durdur (Esc)</translation>
    </message>
    <message>
        <source>Chat status</source>
        <translation>Sohbet durumu</translation>
    </message>
    <message>
        <source>{model} on {kind} at {url}, context {n_ctx} tokens: the conversation is sent to that machine on the internet</source>
        <translation>{url} adresindeki {kind} üzerinde {model}, bağlam {n_ctx} belirteç: konuşma internetteki o makineye gönderilir</translation>
    </message>
    <message>
        <source>{model} on {kind} at {url}, context {n_ctx} tokens: the conversation is sent to that server</source>
        <translation>{url} adresindeki {kind} üzerinde {model}, bağlam {n_ctx} belirteç: konuşma o sunucuya gönderilir</translation>
    </message>
    <message>
        <source>{model} on {kind} at {url}: the conversation is sent to that machine on the internet</source>
        <translation>{url} adresindeki {kind} üzerinde {model}: konuşma internetteki o makineye gönderilir</translation>
    </message>
    <message>
        <source>{model} on {kind} at {url}: the conversation is sent to that server</source>
        <translation>{url} adresindeki {kind} üzerinde {model}: konuşma o sunucuya gönderilir</translation>
    </message>
    <message>
        <source>No models yet. Download the starter model (SmolLM2 135M, 98 MB), import a GGUF file you already have, or find more on the Models page (Ctrl+2). Models live in {folder}.</source>
        <translation>Henüz model yok. Başlangıç modelini (SmolLM2 135M, 98 MB) indirin, elinizdeki bir GGUF dosyasını içe aktarın ya da Modeller sayfasında (Ctrl+2) daha fazlasını bulun. Modellerin klasörü: {folder}.</translation>
    </message>
    <message>
        <source>GGUF models</source>
        <translation>GGUF modelleri</translation>
    </message>
    <message>
        <source>Pick a model first (or get one on the Models page).</source>
        <translation>Önce bir model seçin (ya da Modeller sayfasından edinin).</translation>
    </message>
    <message>
        <source>Connecting to {model}…</source>
        <translation>{model} ile bağlantı kuruluyor…</translation>
    </message>
    <message>
        <source>Loading {file}…</source>
        <translation>{file} yükleniyor…</translation>
    </message>
    <message>
        <source>{crash} The engine was restarted and {model} is loaded again: send your message again, or press Regenerate on the interrupted reply.</source>
        <translation>{crash} Motor yeniden başlatıldı ve {model} yeniden yüklendi: mesajınızı tekrar gönderin ya da yarıda kalan yanıtta Yeniden oluştur&apos;a basın.</translation>
    </message>
    <message>
        <source>Using {model} · context {n_ctx} tokens ({what} estimated)</source>
        <translation>{model} kullanılıyor · bağlam {n_ctx} belirteç ({what} tahmini)</translation>
    </message>
    <message>
        <source>Using {model} · context {n_ctx} tokens</source>
        <translation>{model} kullanılıyor · bağlam {n_ctx} belirteç</translation>
    </message>
    <message>
        <source>Loaded {model} in {seconds} s · context {n_ctx} tokens</source>
        <translation>{model}, {seconds} sn içinde yüklendi · bağlam {n_ctx} belirteç</translation>
    </message>
    <message>
        <source>The model&apos;s reply was empty. If that keeps happening, its chat format may be wrong: pick another one under Chat settings → Chat template (now: {template}).</source>
        <translation>Modelin yanıtı boş geldi. Bu tekrarlanırsa sohbet biçimi yanlış olabilir: Sohbet ayarları → Sohbet şablonu altından başka birini seçin (şu an: {template}).</translation>
    </message>
    <message>
        <source>The model&apos;s reply was empty. If that keeps happening, its chat format may be wrong: pick another one under Chat settings → Chat template.</source>
        <translation>Modelin yanıtı boş geldi. Bu tekrarlanırsa sohbet biçimi yanlış olabilir: Sohbet ayarları → Sohbet şablonu altından başka birini seçin.</translation>
    </message>
    <message>
        <source>{message} Press Load to try again.</source>
        <translation>{message} Yeniden denemek için Yükle&apos;ye basın.</translation>
    </message>
    <message>
        <source>{message} The partial reply was kept and marked interrupted.</source>
        <translation>{message} Yanıtın yazılan kısmı saklandı ve yarıda kaldı olarak işaretlendi.</translation>
    </message>
    <message>
        <source>{message} Restarting the engine…</source>
        <translation>{message} Motor yeniden başlatılıyor…</translation>
    </message>
    <message>
        <source>Load {file} again with safe settings: {description}. If a reply then works, Hearth uses them for this model from now on.</source>
        <translation>{file} dosyasını güvenli ayarlarla yeniden yükler: {description}. Ardından yanıt alınırsa Hearth bu model için bundan sonra bu ayarları kullanır.</translation>
    </message>
    <message>
        <source>Model unloaded.</source>
        <translation>Model bellekten boşaltıldı.</translation>
    </message>
    <message>
        <source>Press Load to apply the new context length.</source>
        <translation>Yeni bağlam uzunluğunu uygulamak için Yükle&apos;ye basın.</translation>
    </message>
    <message>
        <source>Model unloaded after {minutes} idle minutes to free memory; press Load to continue.</source>
        <translation>Model, {minutes} dakika boşta kaldıktan sonra bellek açmak için boşaltıldı; devam etmek için Yükle&apos;ye basın.</translation>
    </message>
    <message>
        <source>Rename conversation</source>
        <translation>Konuşmayı yeniden adlandır</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>Başlık:</translation>
    </message>
    <message>
        <source>Delete conversation</source>
        <translation>Konuşmayı sil</translation>
    </message>
    <message>
        <source>Delete “{title}” and all its messages? This cannot be undone.</source>
        <translation>“{title}” ve tüm mesajları silinsin mi? Bu işlem geri alınamaz.</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>Konuşmayı dışa aktar</translation>
    </message>
    <message>
        <source>Could not export: {error}</source>
        <translation>Dışa aktarılamadı: {error}</translation>
    </message>
    <message>
        <source>Exported to {path}</source>
        <translation>Dışa aktarıldı: {path}</translation>
    </message>
    <message>
        <source>Import conversation</source>
        <translation>Konuşmayı içe aktar</translation>
    </message>
    <message>
        <source>Could not import {file}: {error}</source>
        <translation>{file} içe aktarılamadı: {error}</translation>
    </message>
    <message>
        <source>Imported “{title}”.</source>
        <translation>“{title}” içe aktarıldı.</translation>
    </message>
    <message>
        <source>Attach images</source>
        <translation>Görsel ekle</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Görseller</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>Tüm dosyalar</translation>
    </message>
    <message>
        <source>A message takes up to {count} images; the others were not attached.</source>
        <translation>Bir mesaja en fazla {count} görsel eklenebilir; diğerleri eklenmedi.</translation>
    </message>
    <message>
        <source>Pasted image</source>
        <translation>Yapıştırılan görsel</translation>
    </message>
    <message>
        <source>Preparing %n image(s)…</source>
        <translation>%n görsel hazırlanıyor…</translation>
    </message>
    <message>
        <source>Could not attach {name}: {error}</source>
        <translation>{name} eklenemedi: {error}</translation>
    </message>
    <message>
        <source>Preparing the image; the message is sent when it is ready…</source>
        <translation>Görsel hazırlanıyor; hazır olunca mesaj gönderilecek…</translation>
    </message>
    <message>
        <source>The conversation no longer fits</source>
        <translation>Konuşma artık sığmıyor</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Vazgeç</translation>
    </message>
    <message>
        <source>Waiting for the model: it is answering an API request from {client}…</source>
        <translation>Model bekleniyor: {client} tarafından gelen bir API isteğini yanıtlıyor…</translation>
    </message>
    <message>
        <source>Message copied.</source>
        <translation>Mesaj kopyalandı.</translation>
    </message>
    <message>
        <source>Code copied.</source>
        <translation>Kod kopyalandı.</translation>
    </message>
    <message>
        <source>Editing a message: Send makes a new branch beside the original (nothing is deleted). Its %n image(s) go with it. Esc cancels.</source>
        <translation>Mesaj düzenleniyor: Gönder, özgün mesajın yanında yeni bir dal oluşturur (hiçbir şey silinmez). Ekli %n görsel de onunla gider. Esc ile vazgeçin.</translation>
    </message>
    <message>
        <source>Editing a message: Send makes a new branch beside the original (nothing is deleted). Esc cancels.</source>
        <translation>Mesaj düzenleniyor: Gönder, özgün mesajın yanında yeni bir dal oluşturur (hiçbir şey silinmez). Esc ile vazgeçin.</translation>
    </message>
    <message>
        <source>Delete this message and the %n message(s) after it?</source>
        <translation>Bu mesaj ve ardından gelen %n mesaj silinsin mi?</translation>
    </message>
    <message>
        <source>Delete this message?</source>
        <translation>Bu mesaj silinsin mi?</translation>
    </message>
    <message>
        <source>Delete message</source>
        <translation>Mesajı sil</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>Bağlantıyı aç</translation>
    </message>
    <message>
        <source>Open this address in your web browser?

{url}

Your browser connects to the site itself: Hearth&apos;s Offline mode and network log do not cover it.</source>
        <translation>Bu adres web tarayıcınızda açılsın mı?

{url}

Tarayıcınız siteye kendisi bağlanır: Hearth&apos;ün Çevrimdışı modu ve ağ günlüğü bunu kapsamaz.</translation>
    </message>
    <message>
        <source>The chats database needs attention (see above) before new messages can be saved.</source>
        <translation>Yeni mesajların kaydedilebilmesi için önce sohbet veritabanıyla ilgilenmek gerekiyor (yukarıya bakın).</translation>
    </message>
</context>
<context>
    <name>ChatRecords</name>
    <message>
        <source>{what} must be a dict, not {type}</source>
        <translation>{what} bir sözlük (JSON nesnesi) olmalıdır (bu bir {type})</translation>
    </message>
    <message>
        <source>{what} must hold only JSON values: {error}</source>
        <translation>{what} yalnızca JSON değerleri içermelidir: {error}</translation>
    </message>
    <message>
        <source>{what} must be a string, not {type}</source>
        <translation>{what} bir metin olmalıdır (bu bir {type})</translation>
    </message>
    <message>
        <source>{what} contains characters that cannot be stored (lone surrogates)</source>
        <translation>{what} saklanamayan karakterler içeriyor (eşi olmayan vekil karakterler)</translation>
    </message>
    <message>
        <source>role must be one of {roles}, not {value}</source>
        <translation>role şunlardan biri olmalıdır: {roles} (verilen değer: {value})</translation>
    </message>
    <message>
        <source>state must be one of {states}, not {value}</source>
        <translation>state şunlardan biri olmalıdır: {states} (verilen değer: {value})</translation>
    </message>
    <message>
        <source>{what} must be a finite number of seconds, not {value}</source>
        <translation>{what} sonlu bir saniye değeri olmalıdır (verilen değer: {value})</translation>
    </message>
</context>
<context>
    <name>ChatSession</name>
    <message>
        <source>Untitled</source>
        <translation>Adsız</translation>
    </message>
    <message>
        <source>1 earlier message above is left out of the model&apos;s view because the conversation no longer fits its context ({policy}).</source>
        <translation>Konuşma artık modelin bağlamına sığmadığı için yukarıdaki 1 eski mesaj modele gösterilmiyor ({policy}).</translation>
    </message>
    <message>
        <source>{count} earlier messages above are left out of the model&apos;s view because the conversation no longer fits its context ({policy}).</source>
        <translation>Konuşma artık modelin bağlamına sığmadığı için yukarıdaki {count} eski mesaj modele gösterilmiyor ({policy}).</translation>
    </message>
    <message>
        <source>Load a model first: pick one above and press Load.</source>
        <translation>Önce bir model yükleyin: yukarıdan birini seçip Yükle&apos;ye basın.</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>Görsel</translation>
    </message>
    <message>
        <source>Not sent: the conversation does not fit.</source>
        <translation>Gönderilmedi: konuşma sığmıyor.</translation>
    </message>
    <message>
        <source>Could not save the reply: {error}</source>
        <translation>Yanıt kaydedilemedi: {error}</translation>
    </message>
</context>
<context>
    <name>ChatStore</name>
    <message>
        <source>Could not open the chats database {path}: the file does not exist.</source>
        <translation>{path} konumundaki sohbet veritabanı açılamadı: dosya bulunamadı.</translation>
    </message>
    <message>
        <source>Could not open the chats database {path}: {error}.</source>
        <translation>{path} konumundaki sohbet veritabanı açılamadı: {error}.</translation>
    </message>
    <message>
        <source>open the chats database {path}</source>
        <translation>{path} konumundaki sohbet veritabanı açılamadı</translation>
    </message>
    <message>
        <source>the disk is full; free some space and try again</source>
        <translation>disk dolu; biraz yer açıp yeniden deneyin</translation>
    </message>
    <message>
        <source>the chats database is damaged</source>
        <translation>sohbet veritabanı hasarlı</translation>
    </message>
    <message>
        <source>the file is not a chats database or it is damaged</source>
        <translation>dosya bir sohbet veritabanı değil ya da hasarlı</translation>
    </message>
    <message>
        <source>a disk read or write failed</source>
        <translation>diskten okuma ya da diske yazma başarısız oldu</translation>
    </message>
    <message>
        <source>the chats database is busy (is another Hearth window open?)</source>
        <translation>sohbet veritabanı meşgul (başka bir Hearth penceresi mi açık?)</translation>
    </message>
    <message>
        <source>the chats database is read-only</source>
        <translation>sohbet veritabanı salt okunur</translation>
    </message>
    <message>
        <source>the chat store is closed</source>
        <translation>sohbet deposu kapalı</translation>
    </message>
    <message>
        <source>the chat store was used from a thread other than the one that opened it</source>
        <translation>sohbet deposu, onu açan iş parçacığından başka bir iş parçacığından kullanıldı</translation>
    </message>
    <message>
        <source>the chats database file cannot be opened</source>
        <translation>sohbet veritabanı dosyası açılamıyor</translation>
    </message>
    <message>
        <source>a database error occurred</source>
        <translation>bir veritabanı hatası oluştu</translation>
    </message>
    <message>
        <source>Could not {action}: {problem} ({error}).</source>
        <translation>{action}: {problem} ({error}).</translation>
    </message>
    <message>
        <source>The chats database has schema version {version}, newer than this Hearth understands ({latest}); it was written by a newer Hearth. Update Hearth to open it.</source>
        <translation>Sohbet veritabanının şema sürümü {version}; bu, bu Hearth&apos;ün anlayabildiği sürümden ({latest}) daha yeni, yani veritabanı daha yeni bir Hearth tarafından yazılmış. Açmak için Hearth&apos;ü güncelleyin.</translation>
    </message>
    <message>
        <source>Could not back up the chats database to {dest} before upgrading it ({error}); nothing was changed.</source>
        <translation>Sohbet veritabanı yükseltilmeden önce yedeği {dest} konumuna alınamadı ({error}); hiçbir şey değiştirilmedi.</translation>
    </message>
    <message>
        <source>prepare the chats database</source>
        <translation>Sohbet veritabanı hazırlanamadı</translation>
    </message>
    <message>
        <source>The chat store is closed.</source>
        <translation>Sohbet deposu kapalı.</translation>
    </message>
    <message>
        <source>The chats database is open read-only; changes are not possible.</source>
        <translation>Sohbet veritabanı salt okunur açık; değişiklik yapılamaz.</translation>
    </message>
    <message>
        <source>create a conversation</source>
        <translation>Konuşma oluşturulamadı</translation>
    </message>
    <message>
        <source>list conversations</source>
        <translation>Konuşmalar listelenemedi</translation>
    </message>
    <message>
        <source>read a conversation</source>
        <translation>Konuşma okunamadı</translation>
    </message>
    <message>
        <source>rename the conversation</source>
        <translation>Konuşma yeniden adlandırılamadı</translation>
    </message>
    <message>
        <source>save the conversation settings</source>
        <translation>Konuşma ayarları kaydedilemedi</translation>
    </message>
    <message>
        <source>delete the conversation</source>
        <translation>Konuşma silinemedi</translation>
    </message>
    <message>
        <source>select the branch</source>
        <translation>Dal seçilemedi</translation>
    </message>
    <message>
        <source>set the conversation title</source>
        <translation>Konuşma başlığı ayarlanamadı</translation>
    </message>
    <message>
        <source>save the message</source>
        <translation>Mesaj kaydedilemedi</translation>
    </message>
    <message>
        <source>read the message</source>
        <translation>Mesaj okunamadı</translation>
    </message>
    <message>
        <source>read the messages</source>
        <translation>Mesajlar okunamadı</translation>
    </message>
    <message>
        <source>read the conversation</source>
        <translation>Konuşma okunamadı</translation>
    </message>
    <message>
        <source>delete the messages</source>
        <translation>Mesajlar silinemedi</translation>
    </message>
    <message>
        <source>recover interrupted replies</source>
        <translation>Yarıda kalan yanıtlar kurtarılamadı</translation>
    </message>
    <message>
        <source>search the chats</source>
        <translation>Sohbetlerde arama yapılamadı</translation>
    </message>
    <message>
        <source>export the conversation</source>
        <translation>Konuşma dışa aktarılamadı</translation>
    </message>
    <message>
        <source>import the conversation</source>
        <translation>Konuşma içe aktarılamadı</translation>
    </message>
    <message>
        <source>read the presets</source>
        <translation>Hazır ayarlar okunamadı</translation>
    </message>
    <message>
        <source>save the preset</source>
        <translation>Hazır ayar kaydedilemedi</translation>
    </message>
    <message>
        <source>delete the preset</source>
        <translation>Hazır ayar silinemedi</translation>
    </message>
    <message>
        <source>check the chats database</source>
        <translation>Sohbet veritabanı denetlenemedi</translation>
    </message>
    <message>
        <source>rebuild the search index</source>
        <translation>Arama dizini yeniden oluşturulamadı</translation>
    </message>
    <message>
        <source>back up the chats database</source>
        <translation>Sohbet veritabanı yedeklenemedi</translation>
    </message>
    <message>
        <source>Could not back up the chats database to {dest}: {error}.</source>
        <translation>Sohbet veritabanının yedeği {dest} konumuna alınamadı: {error}.</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Messages</source>
        <translation>Mesajlar</translation>
    </message>
</context>
<context>
    <name>CollectionView</name>
    <message>
        <source>Sources</source>
        <translation>Kaynaklar</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>Dosya ekle…</translation>
    </message>
    <message>
        <source>Add files</source>
        <translation>Dosya ekle</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Klasör ekle…</translation>
    </message>
    <message>
        <source>Add folder</source>
        <translation>Klasör ekle</translation>
    </message>
    <message>
        <source>Remove source</source>
        <translation>Kaynağı kaldır</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Belgeler</translation>
    </message>
    <message>
        <source>Indexing progress</source>
        <translation>Dizinleme ilerlemesi</translation>
    </message>
    <message>
        <source>%v of %m files</source>
        <translation>%v / %m dosya</translation>
    </message>
    <message>
        <source>Index now</source>
        <translation>Şimdi dizinle</translation>
    </message>
    <message>
        <source>Indexing status</source>
        <translation>Dizinleme durumu</translation>
    </message>
    <message>
        <source>No collection yet</source>
        <translation>Henüz koleksiyon yok</translation>
    </message>
    <message>
        <source>· embedding model {name}</source>
        <translation>· gömme modeli {name}</translation>
    </message>
    <message>
        <source>Pausing…</source>
        <translation>Duraklatılıyor…</translation>
    </message>
    <message>
        <source>Pausing</source>
        <translation>Duraklatılıyor</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Duraklat</translation>
    </message>
    <message>
        <source>Pause indexing first</source>
        <translation>Önce dizinlemeyi duraklatın</translation>
    </message>
</context>
<context>
    <name>CollectionsModel</name>
    <message>
        <source>Collection</source>
        <translation>Koleksiyon</translation>
    </message>
    <message>
        <source>Docs</source>
        <translation>Belge</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>Parça</translation>
    </message>
    <message>
        <source>Documents indexed</source>
        <translation>Dizinlenen belgeler</translation>
    </message>
    <message>
        <source>Passages indexed for search</source>
        <translation>Arama için dizinlenen pasajlar</translation>
    </message>
    <message>
        <source>{name}: {count} document(s) indexed, {errors} could not be read; embedding model {model}</source>
        <translation>{name}: {count} belge dizinlendi, {errors} belge okunamadı; gömme modeli {model}</translation>
    </message>
    <message>
        <source>{name}: {count} document(s) indexed; embedding model {model}</source>
        <translation>{name}: {count} belge dizinlendi; gömme modeli {model}</translation>
    </message>
</context>
<context>
    <name>ContextBudget</name>
    <message>
        <source>The conversation needs {needed:,} tokens but only {available:,} fit in the context (after leaving room for the reply). Choose how to continue.</source>
        <translation>Sohbet {needed:,} belirteç gerektiriyor, ancak bağlam penceresine (yanıta yer bırakıldıktan sonra) yalnızca {available:,} belirteç sığıyor. Nasıl devam edileceğini seçin.</translation>
    </message>
    <message>
        <source>Unknown context policy {policy!r}</source>
        <translation>Bilinmeyen bağlam ilkesi: {policy!r}</translation>
    </message>
</context>
<context>
    <name>ContextMeter</name>
    <message>
        <source>context and token counts</source>
        <translation>bağlam ve belirteç sayıları</translation>
    </message>
    <message>
        <source>token counts</source>
        <translation>belirteç sayıları</translation>
    </message>
    <message>
        <source>context</source>
        <translation>bağlam</translation>
    </message>
    <message>
        <source>Context used</source>
        <translation>Kullanılan bağlam</translation>
    </message>
    <message>
        <source>Context:</source>
        <translation>Bağlam:</translation>
    </message>
    <message>
        <source>no model loaded</source>
        <translation>yüklü model yok</translation>
    </message>
    <message>
        <source>~{used} / {n_ctx} tokens (estimated)</source>
        <translation>~{used} / {n_ctx} belirteç (tahmini)</translation>
    </message>
    <message>
        <source>{used} / {n_ctx} tokens</source>
        <translation>{used} / {n_ctx} belirteç</translation>
    </message>
    <message>
        <source>Tokens of this conversation that the model sees, out of its context window.</source>
        <translation>Modelin gördüğü konuşma belirteçleri ve modelin bağlam penceresinin boyutu.</translation>
    </message>
    <message>
        <source>The server does not give its {what}, so Hearth estimates them.</source>
        <translation>Sunucu {what} bilgisini vermiyor, bu yüzden Hearth bunları tahmin ediyor.</translation>
    </message>
    <message>
        <source>The server does not give its {what}, so Hearth estimates it.</source>
        <translation>Sunucu {what} bilgisini vermiyor, bu yüzden Hearth bunu tahmin ediyor.</translation>
    </message>
    <message>
        <source>Context used: {text}</source>
        <translation>Kullanılan bağlam: {text}</translation>
    </message>
</context>
<context>
    <name>ContextPolicy</name>
    <message>
        <source>Truncate middle (keep the start)</source>
        <translation>Ortayı kırp (başı koru)</translation>
    </message>
    <message>
        <source>Rolling window (keep the latest)</source>
        <translation>Kayan pencere (en yenileri koru)</translation>
    </message>
    <message>
        <source>Stop and ask</source>
        <translation>Dur ve sor</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <source>{title}
updated {when}</source>
        <translation>{title}
Güncellendi: {when}</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <source>Rename…</source>
        <translation>Yeniden adlandır…</translation>
    </message>
    <message>
        <source>Export as Markdown…</source>
        <translation>Markdown olarak dışa aktar…</translation>
    </message>
    <message>
        <source>Export as JSON…</source>
        <translation>JSON olarak dışa aktar…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Sil…</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>Yeni sohbet</translation>
    </message>
    <message>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>Yeni bir konuşma başlat (Ctrl+N)</translation>
    </message>
    <message>
        <source>Import chat…</source>
        <translation>Sohbet içe aktar…</translation>
    </message>
    <message>
        <source>Import chat</source>
        <translation>Sohbet içe aktar</translation>
    </message>
    <message>
        <source>Import a conversation exported as JSON</source>
        <translation>JSON olarak dışa aktarılmış bir konuşmayı içe aktar</translation>
    </message>
    <message>
        <source>Search chats</source>
        <translation>Sohbetlerde ara</translation>
    </message>
    <message>
        <source>Search all messages…</source>
        <translation>Tüm mesajlarda ara…</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Arama sonuçları</translation>
    </message>
    <message>
        <source>No messages match.</source>
        <translation>Eşleşen mesaj yok.</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Konuşmalar</translation>
    </message>
</context>
<context>
    <name>DeviceListModel</name>
    <message>
        <source>{free} free of {total}</source>
        <translation>{free} boş ({total} toplam)</translation>
    </message>
    <message>
        <source>Memory (RAM)</source>
        <translation>Bellek (RAM)</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>bilinmiyor</translation>
    </message>
    <message>
        <source>shared with the CPU</source>
        <translation>CPU ile paylaşılıyor</translation>
    </message>
    <message>
        <source>this llama.cpp build cannot use it</source>
        <translation>bu llama.cpp derlemesi bunu kullanamıyor</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>No GPU found: models run on the CPU, which works well for small models</source>
        <translation>GPU bulunamadı: modeller CPU üzerinde çalışır; küçük modeller için bu iyi sonuç verir</translation>
    </message>
    <message>
        <source>Disk (models folder)</source>
        <translation>Disk (modeller klasörü)</translation>
    </message>
</context>
<context>
    <name>Discover</name>
    <message>
        <source>embedding model</source>
        <translation>gömme modeli</translation>
    </message>
    <message>
        <source>{params} parameters</source>
        <translation>{params} parametre</translation>
    </message>
    <message>
        <source>context {n}</source>
        <translation>bağlam {n}</translation>
    </message>
    <message>
        <source>licence {license}</source>
        <translation>lisans {license}</translation>
    </message>
    <message>
        <source>for documents</source>
        <translation>belgeler için</translation>
    </message>
    <message>
        <source>An embedding model for the Documents page ({size}): it turns passages into vectors; chat with a chat model.</source>
        <translation>Belgeler sayfası için bir gömme modeli ({size}): metin parçalarını vektörlere dönüştürür; sohbet için bir sohbet modeli kullanın.</translation>
    </message>
</context>
<context>
    <name>DiscoverTab</name>
    <message>
        <source>Most downloaded</source>
        <translation>En çok indirilen</translation>
    </message>
    <message>
        <source>Most liked</source>
        <translation>En çok beğenilen</translation>
    </message>
    <message>
        <source>Recently updated</source>
        <translation>Son güncellenen</translation>
    </message>
    <message>
        <source>Search models</source>
        <translation>Model ara</translation>
    </message>
    <message>
        <source>Search Hugging Face for GGUF models, e.g. qwen coder</source>
        <translation>Hugging Face&apos;te GGUF modeli arayın, ör. qwen coder</translation>
    </message>
    <message>
        <source>Sort results</source>
        <translation>Sonuçları sırala</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Ara</translation>
    </message>
    <message>
        <source>Starter picks</source>
        <translation>Başlangıç önerileri</translation>
    </message>
    <message>
        <source>Show starter picks</source>
        <translation>Başlangıç önerilerini göster</translation>
    </message>
    <message>
        <source>Discover status</source>
        <translation>Keşfet durumu</translation>
    </message>
    <message>
        <source>Models found</source>
        <translation>Bulunan modeller</translation>
    </message>
    <message>
        <source>More results</source>
        <translation>Daha fazla sonuç</translation>
    </message>
    <message>
        <source>Offline mode is on: search and repository details need a connection. The starter picks and your library work offline.</source>
        <translation>Çevrimdışı mod açık: arama ve depo ayrıntıları için bağlantı gerekir. Başlangıç önerileri ve kitaplığınız çevrimdışı çalışır.</translation>
    </message>
    <message>
        <source>Starter picks ({n}): small instruct models that run on most computers</source>
        <translation>Başlangıç önerileri ({n}): çoğu bilgisayarda çalışan küçük talimat modelleri</translation>
    </message>
    <message>
        <source>Starter picks are not available in this build.</source>
        <translation>Başlangıç önerileri bu derlemede yok.</translation>
    </message>
    <message>
        <source>The header could not be read: {error}</source>
        <translation>Dosya başlığı okunamadı: {error}</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>bilinmiyor</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Aranıyor…</translation>
    </message>
    <message>
        <source>Results for “{query}”</source>
        <translation>“{query}” için sonuçlar</translation>
    </message>
    <message>
        <source>Most popular GGUF repositories</source>
        <translation>En popüler GGUF depoları</translation>
    </message>
    <message>
        <source>by {author}</source>
        <translation>{author} tarafından</translation>
    </message>
    <message>
        <source>No GGUF repositories match this search.</source>
        <translation>Bu aramayla eşleşen GGUF deposu yok.</translation>
    </message>
    <message>
        <source>Search failed: {error}</source>
        <translation>Arama başarısız oldu: {error}</translation>
    </message>
    <message>
        <source>The model card could not be loaded: {error}</source>
        <translation>Model kartı yüklenemedi: {error}</translation>
    </message>
    <message>
        <source>Offline mode is on: the file list and fit verdicts of this repository need a connection.</source>
        <translation>Çevrimdışı mod açık: bu deponun dosya listesi ve uygunluk değerlendirmeleri için bağlantı gerekir.</translation>
    </message>
</context>
<context>
    <name>DocsExtract</name>
    <message>
        <source>Hearth cannot read {name}: it reads PDF, Markdown (.md), plain text (.txt), HTML and Word (.docx) files</source>
        <translation>Hearth {name} dosyasını okuyamıyor: yalnızca PDF, Markdown (.md), düz metin (.txt), HTML ve Word (.docx) dosyalarını okur</translation>
    </message>
    <message>
        <source>{name} is empty</source>
        <translation>{name} boş</translation>
    </message>
    <message>
        <source>{name} has no text to index</source>
        <translation>{name} içinde dizinlenecek metin yok</translation>
    </message>
    <message>
        <source>{name} does not exist (was it moved or deleted?)</source>
        <translation>{name} bulunamadı (taşındı ya da silindi mi?)</translation>
    </message>
    <message>
        <source>{name} cannot be read: {error}</source>
        <translation>{name} okunamıyor: {error}</translation>
    </message>
    <message>
        <source>{name} is a folder, not a file</source>
        <translation>{name} bir dosya değil, bir klasör</translation>
    </message>
    <message>
        <source>{name} is not a regular file</source>
        <translation>{name} normal bir dosya değil</translation>
    </message>
    <message>
        <source>{name} is too large ({size}); Hearth indexes files up to {limit}</source>
        <translation>{name} çok büyük ({size}); Hearth en fazla {limit} boyutundaki dosyaları dizinler</translation>
    </message>
    <message>
        <source>{name} is too large; Hearth indexes files up to {limit}</source>
        <translation>{name} çok büyük; Hearth en fazla {limit} boyutundaki dosyaları dizinler</translation>
    </message>
</context>
<context>
    <name>DocsExtractDocx</name>
    <message>
        <source>{name} is damaged or is not really a Word document, so Hearth cannot read it</source>
        <translation>{name} bozuk ya da aslında bir Word belgesi değil, bu yüzden Hearth onu okuyamıyor</translation>
    </message>
    <message>
        <source>{name} is damaged: it has no document body</source>
        <translation>{name} bozuk: belge gövdesi yok</translation>
    </message>
    <message>
        <source>{name} is not a Word document (it has no {member})</source>
        <translation>{name} bir Word belgesi değil (içinde {member} yok)</translation>
    </message>
    <message>
        <source>{name} holds XML that Word does not write; Hearth will not read it</source>
        <translation>{name}, Word&apos;ün hiçbir zaman yazmadığı türden XML içeriyor; Hearth bu dosyayı okumayacak</translation>
    </message>
    <message>
        <source>{name} is damaged ({member} is not valid XML), so Hearth cannot read it</source>
        <translation>{name} bozuk ({member} geçerli bir XML değil), bu yüzden Hearth onu okuyamıyor</translation>
    </message>
    <message>
        <source>{name} is too large inside to read ({member} unpacks to more than 256 MiB)</source>
        <translation>{name} okunamayacak kadar büyük bir içerik barındırıyor ({member} açıldığında 256 MiB sınırını aşıyor)</translation>
    </message>
</context>
<context>
    <name>DocsExtractPdf</name>
    <message>
        <source>{name} is encrypted with AES, which this copy of Hearth cannot decrypt (it needs the &apos;cryptography&apos; package)</source>
        <translation>{name} AES ile şifrelenmiş ve bu Hearth kurulumu bu şifreyi çözemiyor (&apos;cryptography&apos; paketi gerekiyor)</translation>
    </message>
    <message>
        <source>{name} is encrypted in a way Hearth cannot open</source>
        <translation>{name}, Hearth tarafından açılamayan bir yöntemle şifrelenmiş</translation>
    </message>
    <message>
        <source>{name} is encrypted with a password; Hearth cannot read it</source>
        <translation>{name} parolayla şifrelenmiş; Hearth onu okuyamıyor</translation>
    </message>
    <message>
        <source>{name} is damaged or is not really a PDF, so Hearth cannot read it</source>
        <translation>{name} bozuk ya da aslında bir PDF değil, bu yüzden Hearth onu okuyamıyor</translation>
    </message>
    <message>
        <source>{name} has no pages</source>
        <translation>{name} içinde hiç sayfa yok</translation>
    </message>
    <message>
        <source>{name} is damaged: none of its pages could be read</source>
        <translation>{name} bozuk: sayfalarının hiçbiri okunamadı</translation>
    </message>
    <message>
        <source>No text found in {name}: it looks scanned, and OCR is not supported</source>
        <translation>{name} içinde metin bulunamadı: taranmış görünüyor ve OCR desteklenmiyor</translation>
    </message>
    <message>
        <source>page {pages} of {name} has no text layer (scanned?): OCR is not supported</source>
        <translation>{name} dosyasının {pages}. sayfasında metin katmanı yok (taranmış mı?): OCR desteklenmiyor</translation>
    </message>
    <message>
        <source>pages {pages} of {name} have no text layer (scanned?): OCR is not supported</source>
        <translation>{name} dosyasının {pages} numaralı sayfalarında metin katmanı yok (taranmış mı?): OCR desteklenmiyor</translation>
    </message>
    <message>
        <source>page {pages} of {name} could not be read (damaged?) and was skipped</source>
        <translation>{name} dosyasının {pages}. sayfası okunamadı (bozuk mu?) ve atlandı</translation>
    </message>
    <message>
        <source>pages {pages} of {name} could not be read (damaged?) and were skipped</source>
        <translation>{name} dosyasının {pages} numaralı sayfaları okunamadı (bozuk mu?) ve atlandı</translation>
    </message>
    <message>
        <source>{ranges} and {more} more</source>
        <translation>{ranges} ve {more} aralık daha</translation>
    </message>
</context>
<context>
    <name>DocsExtractText</name>
    <message>
        <source>{name} does not look like a text file (it holds binary data), so Hearth cannot read it</source>
        <translation>{name} bir metin dosyasına benzemiyor (ikili veri içeriyor), bu yüzden Hearth onu okuyamıyor</translation>
    </message>
    <message>
        <source>{name} has damaged {encoding} text: the unreadable characters were replaced</source>
        <translation>{name} içindeki {encoding} metni bozuk: okunamayan karakterler değiştirildi</translation>
    </message>
    <message>
        <source>{name} is not UTF-8: it was read as Windows-1252 (Western European), so some characters may be wrong</source>
        <translation>{name} UTF-8 değil: Windows-1252 (Batı Avrupa) olarak okundu, bu yüzden bazı karakterler yanlış olabilir</translation>
    </message>
    <message>
        <source>{name} is not UTF-8: it was read as Latin-1, so some characters may be wrong</source>
        <translation>{name} UTF-8 değil: Latin-1 olarak okundu, bu yüzden bazı karakterler yanlış olabilir</translation>
    </message>
</context>
<context>
    <name>DocsIndexer</name>
    <message>
        <source>not found (moved or deleted?)</source>
        <translation>bulunamadı (taşındı ya da silindi mi?)</translation>
    </message>
    <message>
        <source>could not be indexed: {error}</source>
        <translation>dizinlenemedi: {error}</translation>
    </message>
    <message>
        <source>{name}: no text found</source>
        <translation>{name}: metin bulunamadı</translation>
    </message>
</context>
<context>
    <name>DocsPage</name>
    <message>
        <source>Documents</source>
        <translation>Belgeler</translation>
    </message>
    <message>
        <source>Collections of your files (PDF, Markdown, text, HTML, Word), indexed on this computer so that Chat can answer from them and cite the passages. Nothing leaves this computer.</source>
        <translation>Dosyalarınızın koleksiyonları (PDF, Markdown, metin, HTML, Word); Sohbet&apos;in onlardan yanıt verip pasajları kaynak göstermesi için bu bilgisayarda dizinlenir. Hiçbir şey bu bilgisayardan çıkmaz.</translation>
    </message>
    <message>
        <source>Collections</source>
        <translation>Koleksiyonlar</translation>
    </message>
    <message>
        <source>New collection…</source>
        <translation>Yeni koleksiyon…</translation>
    </message>
    <message>
        <source>New collection</source>
        <translation>Yeni koleksiyon</translation>
    </message>
    <message>
        <source>Remove collection…</source>
        <translation>Koleksiyonu kaldır…</translation>
    </message>
    <message>
        <source>Remove collection</source>
        <translation>Koleksiyonu kaldır</translation>
    </message>
    <message>
        <source>Embedding model…</source>
        <translation>Gömme modeli…</translation>
    </message>
    <message>
        <source>Change the embedding model</source>
        <translation>Gömme modelini değiştir</translation>
    </message>
    <message>
        <source>Indexing…</source>
        <translation>Dizinleniyor…</translation>
    </message>
    <message>
        <source>Make a collection with New collection…, then add files or folders to it.</source>
        <translation>Yeni koleksiyon… ile bir koleksiyon oluşturun, ardından ona dosya veya klasör ekleyin.</translation>
    </message>
    <message>
        <source>Pause indexing first</source>
        <translation>Önce dizinlemeyi duraklatın</translation>
    </message>
    <message>
        <source>The model that turns passages into vectors; another one means indexing again</source>
        <translation>Pasajları vektörlere dönüştüren model; başka bir model, yeniden dizinleme demektir</translation>
    </message>
    <message>
        <source>{name} (an embedding model)</source>
        <translation>{name} (bir gömme modeli)</translation>
    </message>
    <message>
        <source>The document index {path} cannot be opened.</source>
        <translation>Belge dizini {path} açılamıyor.</translation>
    </message>
    <message>
        <source>Embedding model</source>
        <translation>Gömme modeli</translation>
    </message>
    <message>
        <source>The embedding model for {name}:</source>
        <translation>{name} için gömme modeli:</translation>
    </message>
    <message>
        <source>Index {name} again with {model}? Vectors made by another model cannot be compared, so all {documents} are indexed again (your files stay where they are).</source>
        <translation>{name}, {model} ile yeniden dizinlensin mi? Başka bir modelin oluşturduğu vektörler karşılaştırılamaz, bu yüzden tüm {documents} yeniden dizinlenir (dosyalarınız yerinde kalır).</translation>
    </message>
    <message>
        <source>Remove the collection {name}? Its index ({documents}, {chunks}) is deleted; your files stay where they are.</source>
        <translation>{name} koleksiyonu kaldırılsın mı? Dizini ({documents}, {chunks}) silinir; dosyalarınız yerinde kalır.</translation>
    </message>
    <message>
        <source>Add files to the collection</source>
        <translation>Koleksiyona dosya ekle</translation>
    </message>
    <message>
        <source>Add a folder to the collection</source>
        <translation>Koleksiyona klasör ekle</translation>
    </message>
    <message>
        <source>Waiting for {name} to finish indexing…</source>
        <translation>{name} koleksiyonunun dizinlemeyi bitirmesi bekleniyor…</translation>
    </message>
    <message>
        <source>Starting the embedding model…</source>
        <translation>Gömme modeli başlatılıyor…</translation>
    </message>
    <message>
        <source>Indexing stopped: {error}</source>
        <translation>Dizinleme durdu: {error}</translation>
    </message>
    <message>
        <source>Paused after {done} of {count} file(s) — press Index now to resume</source>
        <translation>{done} / {count} dosyadan sonra duraklatıldı — sürdürmek için Şimdi dizinle&apos;ye basın</translation>
    </message>
</context>
<context>
    <name>DocsRetrieval</name>
    <message>
        <source>There are no document collections yet (Documents page).</source>
        <translation>Henüz hiç belge koleksiyonu yok (Belgeler sayfası).</translation>
    </message>
    <message>
        <source>The collection&apos;s embedding model {model} is missing (moved or deleted?): pick another one for the collection on the Documents page.</source>
        <translation>Koleksiyonun gömme modeli bulunamıyor: {model} (taşındı ya da silindi mi?). Belgeler sayfasında koleksiyon için başka bir model seçin.</translation>
    </message>
</context>
<context>
    <name>DocsSearch</name>
    <message>
        <source>The collection {name!r} was indexed with another embedding model ({indexed} dimensions, this one has {dims}): index it again.</source>
        <translation>{name!r} koleksiyonu başka bir gömme modeliyle dizinlenmiş ({indexed} boyut; bu modelde {dims} boyut var): koleksiyonu yeniden dizinleyin.</translation>
    </message>
</context>
<context>
    <name>DocsStore</name>
    <message>
        <source>could not be read</source>
        <translation>okunamadı</translation>
    </message>
    <message>
        <source>{path} was made by a newer Hearth (schema {schema}).</source>
        <translation>{path} daha yeni bir Hearth sürümüyle oluşturulmuş (şema {schema}).</translation>
    </message>
    <message>
        <source>The document index {path} cannot be opened: {error}.</source>
        <translation>Belge dizini {path} açılamıyor: {error}.</translation>
    </message>
    <message>
        <source>A collection needs a name.</source>
        <translation>Koleksiyonun bir adı olmalı.</translation>
    </message>
    <message>
        <source>There is already a collection called {name!r}.</source>
        <translation>{name!r} adında bir koleksiyon zaten var.</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>henüz yok</translation>
    </message>
    <message>
        <source>No collection called {name!r} (collections: {names}).</source>
        <translation>{name!r} adında bir koleksiyon yok (koleksiyonlar: {names}).</translation>
    </message>
    <message>
        <source>The embedding model changed ({old} → {new} dimensions): index the collection again.</source>
        <translation>Gömme modeli değişti ({old} → {new} boyut): koleksiyonu yeniden dizinleyin.</translation>
    </message>
</context>
<context>
    <name>Documents</name>
    <message>
        <source>Text</source>
        <translation>Metin</translation>
    </message>
    <message>
        <source>indexed</source>
        <translation>dizinlendi</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>bekliyor</translation>
    </message>
    <message>
        <source>indexing…</source>
        <translation>dizinleniyor…</translation>
    </message>
    <message>
        <source>could not be read</source>
        <translation>okunamadı</translation>
    </message>
    <message>
        <source>about {seconds} s left</source>
        <translation>yaklaşık {seconds} sn kaldı</translation>
    </message>
    <message>
        <source>about {minutes} min left</source>
        <translation>yaklaşık {minutes} dk kaldı</translation>
    </message>
    <message>
        <source>about {hours} h left</source>
        <translation>yaklaşık {hours} sa kaldı</translation>
    </message>
    <message>
        <source>{done} of {count} file(s)</source>
        <translation>{done} / {count} dosya</translation>
    </message>
    <message>
        <source>{rate} chunks/s</source>
        <translation>{rate} parça/sn</translation>
    </message>
    <message>
        <source>now: {name}</source>
        <translation>şimdi: {name}</translation>
    </message>
    <message>
        <source>{count} could not be read</source>
        <translation>{count} belge okunamadı</translation>
    </message>
    <message>
        <source>{count} source(s) not found</source>
        <translation>{count} kaynak bulunamadı</translation>
    </message>
    <message>
        <source>{count} document(s)</source>
        <translation>{count} belge</translation>
    </message>
    <message>
        <source>{count} chunk(s)</source>
        <translation>{count} parça</translation>
    </message>
    <message>
        <source>Indexed {documents} ({chunks})</source>
        <translation>{documents} dizinlendi ({chunks})</translation>
    </message>
    <message>
        <source>Add files or a folder: drop them on this page, or use Add files… or Add folder…</source>
        <translation>Dosya veya klasör ekleyin: bu sayfaya bırakın ya da Dosya ekle… veya Klasör ekle… düğmesini kullanın</translation>
    </message>
    <message>
        <source>{count} file(s) waiting — press Index now</source>
        <translation>{count} dosya bekliyor — Şimdi dizinle&apos;ye basın</translation>
    </message>
    <message>
        <source>{documents} indexed ({chunks})</source>
        <translation>{documents} dizinlendi ({chunks})</translation>
    </message>
</context>
<context>
    <name>DocumentsModel</name>
    <message>
        <source>File</source>
        <translation>Dosya</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Durum</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tür</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Sayfa</translation>
    </message>
    <message>
        <source>Chunks</source>
        <translation>Parça</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Klasör</translation>
    </message>
</context>
<context>
    <name>DownloadQueue</name>
    <message>
        <source>This download needs {need} of disk space and only {free} is free in the models folder. Free some space first.</source>
        <translation>Bu indirme için {need} disk alanı gerekiyor, ancak modeller klasöründe yalnızca {free} boş alan var. Önce biraz yer açın.</translation>
    </message>
    <message>
        <source>This is a {size} download.</source>
        <translation>Bu indirme {size} boyutunda.</translation>
    </message>
    <message>
        <source>The model is larger than this computer&apos;s memory ({memory}): it would run very slowly here, if at all.</source>
        <translation>Model bu bilgisayarın belleğinden ({memory}) büyük: burada çalışsa bile çok yavaş çalışır.</translation>
    </message>
    <message>
        <source>It leaves only {free} free on the disk.</source>
        <translation>Diskte yalnızca {free} boş alan kalır.</translation>
    </message>
    <message>
        <source>Continue?</source>
        <translation>Devam edilsin mi?</translation>
    </message>
    <message>
        <source>Refused to download {file}: {error}</source>
        <translation>{file} dosyasının indirilmesi reddedildi: {error}</translation>
    </message>
</context>
<context>
    <name>Downloader</name>
    <message>
        <source>Downloading {file}</source>
        <translation>{file} dosyasını indirme</translation>
    </message>
    <message>
        <source>Connection problem, retrying in {delay:.0f} s: {error}</source>
        <translation>Bağlantı sorunu, {delay:.0f} sn sonra yeniden denenecek: {error}</translation>
    </message>
    <message>
        <source>{file!r} would be written outside the models folder</source>
        <translation>{file!r} modeller klasörünün dışına yazılacaktı</translation>
    </message>
    <message>
        <source>{file} is not in {repo} on the Hub.</source>
        <translation>{file}, Hub&apos;daki {repo} deposunda yok.</translation>
    </message>
    <message>
        <source>The version of {file} this download started from ({commit}) is no longer on the Hub: the repository was rewritten. Restart the download from the current version.</source>
        <translation>{file} indirmesinin başladığı sürüm ({commit}) artık Hub&apos;da yok: depo yeniden yazılmış. İndirmeyi güncel sürümden yeniden başlatın.</translation>
    </message>
    <message>
        <source>The Hub reports two sizes for {file} ({size} and {other}); Hearth will not download it.</source>
        <translation>Hub, {file} için iki farklı boyut bildiriyor ({size} ve {other}); Hearth bu dosyayı indirmeyecek.</translation>
    </message>
    <message>
        <source>The Hub gives no sha256 for {file}, so Hearth cannot verify it.</source>
        <translation>Hub, {file} için sha256 değeri vermiyor, bu yüzden Hearth dosyayı doğrulayamıyor.</translation>
    </message>
    <message>
        <source>Not enough free disk space in {folder}: the download needs {need} more and only {free} is free. The partial file is kept; free some space and resume.</source>
        <translation>{folder} içinde yeterli boş disk alanı yok: indirme için {need} daha gerekiyor, ancak yalnızca {free} boş. Yarım kalan dosya saklandı; biraz yer açıp indirmeyi sürdürün.</translation>
    </message>
    <message>
        <source>The server sent more bytes than the file&apos;s size ({size}).</source>
        <translation>Sunucu, dosyanın boyutundan ({size}) fazla bayt gönderdi.</translation>
    </message>
    <message>
        <source>{file} failed verification (its size is {actual} bytes, expected {size}). It was moved to quarantine ({path}) and will not be loaded. Retry to download it again.</source>
        <translation>{file} doğrulamadan geçemedi (boyutu {actual} bayt, beklenen {size}). Karantinaya taşındı ({path}) ve yüklenmeyecek. Yeniden indirmek için tekrar deneyin.</translation>
    </message>
    <message>
        <source>{file} failed verification (its sha256 is {actual}, expected {sha}). It was moved to quarantine ({path}) and will not be loaded. Retry to download it again.</source>
        <translation>{file} doğrulamadan geçemedi (sha256 değeri {actual}, beklenen {sha}). Karantinaya taşındı ({path}) ve yüklenmeyecek. Yeniden indirmek için tekrar deneyin.</translation>
    </message>
</context>
<context>
    <name>DownloadsModel</name>
    <message>
        <source>queued</source>
        <translation>sırada</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>indiriliyor</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>duraklatıldı</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>başarısız</translation>
    </message>
    <message>
        <source>done</source>
        <translation>tamamlandı</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>iptal edildi</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Dosya</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Boyut</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>İlerleme</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Hız</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>Kalan süre</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Durum</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Eylemler</translation>
    </message>
    <message>
        <source>failed: {error}</source>
        <translation>başarısız: {error}</translation>
    </message>
</context>
<context>
    <name>DownloadsTab</name>
    <message>
        <source>Downloads</source>
        <translation>İndirmeler</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>Bitenleri temizle</translation>
    </message>
    <message>
        <source>Clear finished downloads</source>
        <translation>Biten indirmeleri temizle</translation>
    </message>
    <message>
        <source>At once:</source>
        <translation>Aynı anda:</translation>
    </message>
    <message>
        <source>Downloads at once</source>
        <translation>Aynı anda indirme sayısı</translation>
    </message>
    <message>
        <source>No downloads yet. Pick a model in Discover and press Download.</source>
        <translation>Henüz indirme yok. Keşfet&apos;te bir model seçip İndir&apos;e basın.</translation>
    </message>
    <message>
        <source>Downloads status</source>
        <translation>İndirme durumu</translation>
    </message>
    <message>
        <source>{file} is already downloaded: it is in the Library, ready to chat with.</source>
        <translation>{file} zaten indirilmiş: Kitaplık&apos;ta, sohbete hazır.</translation>
    </message>
    <message>
        <source>Actions for {file}</source>
        <translation>{file} için eylemler</translation>
    </message>
</context>
<context>
    <name>EngineAdapters</name>
    <message>
        <source>The model is no longer loaded, so no adapter can be added to it.</source>
        <translation>Model artık yüklü değil, bu yüzden ona bağdaştırıcı eklenemez.</translation>
    </message>
    <message>
        <source>The adapter {file} is missing.</source>
        <translation>{file} bağdaştırıcısı bulunamadı.</translation>
    </message>
    <message>
        <source>llama.cpp gave no reason</source>
        <translation>llama.cpp bir neden belirtmedi</translation>
    </message>
    <message>
        <source>llama.cpp could not load the adapter {file}: {why}</source>
        <translation>llama.cpp {file} bağdaştırıcısını yükleyemedi: {why}</translation>
    </message>
    <message>
        <source>These adapters belong to another loaded model.</source>
        <translation>Bu bağdaştırıcılar yüklü başka bir modele ait.</translation>
    </message>
    <message>
        <source>The same adapter is listed twice; give it one scale.</source>
        <translation>Aynı bağdaştırıcı iki kez listelenmiş; ona tek bir ölçek verin.</translation>
    </message>
    <message>
        <source>The model is no longer loaded, so no adapter can be applied.</source>
        <translation>Model artık yüklü değil, bu yüzden bağdaştırıcı uygulanamaz.</translation>
    </message>
    <message>
        <source>llama.cpp could not apply the adapters.</source>
        <translation>llama.cpp bağdaştırıcıları uygulayamadı.</translation>
    </message>
</context>
<context>
    <name>EngineChatTemplate</name>
    <message>
        <source>the template is {chars:,} characters long</source>
        <translation>şablon {chars:,} karakter uzunluğunda</translation>
    </message>
    <message>
        <source>the template builds a huge constant (e.g. a string multiplied by a big number)</source>
        <translation>şablon çok büyük bir sabit oluşturuyor (ör. büyük bir sayıyla çarpılan bir metin)</translation>
    </message>
    <message>
        <source>{name} (chosen by you)</source>
        <translation>{name} (sizin seçiminiz)</translation>
    </message>
    <message>
        <source>embedded in the model (Jinja, sandboxed)</source>
        <translation>modelin içinde gömülü (Jinja, korumalı alanda çalıştırılır)</translation>
    </message>
    <message>
        <source>chatml (the model&apos;s own template failed: {reason}; pick another format if replies look wrong)</source>
        <translation>chatml (modelin kendi şablonu çalışmadı: {reason}; yanıtlar yanlış görünürse başka bir biçim seçin)</translation>
    </message>
    <message>
        <source>{name} (the model has no chat template; chosen from its architecture, {arch}; pick another format if replies look wrong)</source>
        <translation>{name} (modelin sohbet şablonu yok; mimarisine göre seçildi, mimari: {arch}; yanıtlar yanlış görünürse başka bir biçim seçin)</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>bilinmiyor</translation>
    </message>
    <message>
        <source>Unknown chat format {name!r}</source>
        <translation>Bilinmeyen sohbet biçimi: {name!r}</translation>
    </message>
</context>
<context>
    <name>EngineEmbeddings</name>
    <message>
        <source>Embeddings need a list of texts.</source>
        <translation>Gömmeler için bir metin listesi gerekir.</translation>
    </message>
    <message>
        <source>An empty text has no embedding.</source>
        <translation>Boş bir metnin gömmesi olmaz.</translation>
    </message>
    <message>
        <source>This model ranks texts (a reranker); it does not make embeddings.</source>
        <translation>Bu model metinleri sıralar (bir yeniden sıralayıcı); gömme üretmez.</translation>
    </message>
    <message>
        <source>The text is {n_tokens} tokens long; this model embeds at most {n_ubatch} at once.</source>
        <translation>Metin {n_tokens} belirteç uzunluğunda; bu model tek seferde en fazla {n_ubatch} belirteç gömebilir.</translation>
    </message>
    <message>
        <source>llama.cpp could not compute the embedding (llama_decode returned {rc}).</source>
        <translation>llama.cpp gömmeyi hesaplayamadı (llama_decode şu değeri döndürdü: {rc}).</translation>
    </message>
    <message>
        <source>llama.cpp returned no embedding for this text.</source>
        <translation>llama.cpp bu metin için gömme döndürmedi.</translation>
    </message>
</context>
<context>
    <name>EngineGeneration</name>
    <message>
        <source>The message is {n_tokens} tokens long but the model&apos;s context holds only {n_ctx}. Shorten the message or load the model with a larger context.</source>
        <translation>Mesaj {n_tokens} belirteç uzunluğunda, ancak modelin bağlam penceresi yalnızca {n_ctx} belirteç alabiliyor. Mesajı kısaltın ya da modeli daha büyük bir bağlamla yükleyin.</translation>
    </message>
    <message>
        <source>Unknown KV cache type {kv_type!r}; choose one of {choices}.</source>
        <translation>Bilinmeyen KV önbelleği türü: {kv_type!r}; şunlardan birini seçin: {choices}.</translation>
    </message>
    <message>
        <source>A {kv_type} KV cache needs flash attention (llama.cpp quantizes the V cache only with it): turn Flash attention on, or use an f16 KV cache.</source>
        <translation>{kv_type} türündeki bir KV önbelleği flash attention gerektirir (llama.cpp V önbelleğini yalnızca onunla nicemler): Flash attention&apos;ı açın ya da f16 KV önbelleği kullanın.</translation>
    </message>
    <message>
        <source>The context length must be at least 16 tokens (got {n_ctx}).</source>
        <translation>Bağlam uzunluğu en az 16 belirteç olmalıdır (verilen: {n_ctx}).</translation>
    </message>
</context>
<context>
    <name>EngineHost</name>
    <message>
        <source>The engine failed: {kind}: {error}</source>
        <translation>Motor hata verdi: {kind}: {error}</translation>
    </message>
    <message>
        <source>Generation failed: {error}</source>
        <translation>Yanıt üretilemedi: {error}</translation>
    </message>
</context>
<context>
    <name>EngineImages</name>
    <message>
        <source>An image must be given as a data: URI (text), not as {type}.</source>
        <translation>Görsel bir data: URI&apos;si (metin) olarak verilmelidir; verilen tür: {type}.</translation>
    </message>
    <message>
        <source>Images are passed as data: URIs only; {address} is a web or file address and is not fetched.</source>
        <translation>Görseller yalnızca data: URI&apos;si olarak verilebilir; şu bir web veya dosya adresidir ve getirilmez: {address}</translation>
    </message>
    <message>
        <source>Images are passed as PNG or JPEG data: URIs only (got {shown!r}).</source>
        <translation>Görseller yalnızca PNG veya JPEG data: URI&apos;si olarak verilebilir (verilen: {shown!r}).</translation>
    </message>
    <message>
        <source>The image is larger than {mib} MiB.</source>
        <translation>Görselin boyutu {mib} MiB sınırını aşıyor.</translation>
    </message>
    <message>
        <source>The image&apos;s data: URI is not valid base64.</source>
        <translation>Görselin data: URI&apos;si geçerli bir base64 değil.</translation>
    </message>
    <message>
        <source>The image is damaged or not a PNG or JPEG.</source>
        <translation>Görsel bozuk ya da PNG veya JPEG değil.</translation>
    </message>
    <message>
        <source>The image is {width:,} × {height:,} pixels; the engine takes up to {megapixels} megapixels and {side:,} pixels a side (the window scales images down first).</source>
        <translation>Görsel {width:,} × {height:,} piksel; motor en fazla {megapixels} megapiksel ve kenar başına {side:,} piksel kabul eder (pencere görselleri önce küçültür).</translation>
    </message>
    <message>
        <source>A message&apos;s images must be a list of data: URIs.</source>
        <translation>Bir mesajın görselleri data: URI&apos;lerinden oluşan bir liste olmalıdır.</translation>
    </message>
</context>
<context>
    <name>EngineLlama</name>
    <message>
        <source>llama.cpp could not load {file}: {detail}</source>
        <translation>llama.cpp {file} dosyasını yükleyemedi: {detail}</translation>
    </message>
    <message>
        <source>The chat template could not be prepared: {error}</source>
        <translation>Sohbet şablonu hazırlanamadı: {error}</translation>
    </message>
    <message>
        <source>The vision projector cannot be used: {error}.</source>
        <translation>Görüntü projektörü kullanılamıyor: {error}.</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>Yüklü model yok.</translation>
    </message>
    <message>
        <source>No model is loaded. Pick a model and press Load.</source>
        <translation>Yüklü model yok. Bir model seçip Yükle&apos;ye basın.</translation>
    </message>
    <message>
        <source>The chat template failed on this conversation: {error}</source>
        <translation>Sohbet şablonu bu sohbette başarısız oldu: {error}</translation>
    </message>
    <message>
        <source>The chat template produced an empty prompt; pick another chat format in the conversation settings.</source>
        <translation>Sohbet şablonu boş bir istem üretti; sohbet ayarlarından başka bir sohbet biçimi seçin.</translation>
    </message>
    <message>
        <source>The prompt is empty.</source>
        <translation>İstem boş.</translation>
    </message>
    <message>
        <source>Generation failed: {error}</source>
        <translation>Yanıt üretilemedi: {error}</translation>
    </message>
    <message>
        <source>The image could not be evaluated: {error}</source>
        <translation>Görsel değerlendirilemedi: {error}</translation>
    </message>
    <message>
        <source>An adapter is given as [path, scale], not {item}.</source>
        <translation>Bir bağdaştırıcı [yol, ölçek] olarak verilir; verilen: {item}.</translation>
    </message>
</context>
<context>
    <name>EngineLoadCheck</name>
    <message>
        <source>The model file {path} does not exist (was it moved or deleted?).</source>
        <translation>Model dosyası bulunamadı: {path} (taşındı ya da silindi mi?).</translation>
    </message>
    <message>
        <source>{path} is not a file.</source>
        <translation>{path} bir dosya değil.</translation>
    </message>
    <message>
        <source>{file} is not a usable GGUF model: {problem}</source>
        <translation>{file} kullanılabilir bir GGUF modeli değil: {problem}</translation>
    </message>
    <message>
        <source>{file} could not be read: {error}</source>
        <translation>{file} dosyası okunamadı: {error}</translation>
    </message>
    <message>
        <source>{key} is {value}; a model&apos;s settings must be finite numbers</source>
        <translation>{key} değeri {value}; bir modelin ayarları sonlu sayılar olmalıdır</translation>
    </message>
    <message>
        <source>{key} is {value}; a normalization epsilon cannot be negative</source>
        <translation>{key} değeri {value}; bir normalleştirme epsilonu negatif olamaz</translation>
    </message>
    <message>
        <source>{arch}.block_count is {layers:,}; llama.cpp supports 1 to {max} layers</source>
        <translation>{arch}.block_count değeri {layers:,}; llama.cpp 1 ile {max} arasında katman destekler</translation>
    </message>
    <message>
        <source>{arch}.{key} ({sub:,}) is larger than {arch}.block_count ({layers:,})</source>
        <translation>{arch}.{key} ({sub:,}) değeri {arch}.block_count ({layers:,}) değerinden büyük</translation>
    </message>
    <message>
        <source>{arch}.context_length is {ctx:,} tokens, which no model has</source>
        <translation>{arch}.context_length değeri {ctx:,} belirteç; hiçbir modelde böyle bir değer yoktur</translation>
    </message>
    <message>
        <source>{arch}.expert_count is {experts:,}; llama.cpp supports at most {max} experts</source>
        <translation>{arch}.expert_count değeri {experts:,}; llama.cpp en fazla {max} uzman destekler</translation>
    </message>
    <message>
        <source>{arch}.expert_used_count ({used:,}) is larger than {arch}.expert_count ({experts:,})</source>
        <translation>{arch}.expert_used_count ({used:,}) değeri {arch}.expert_count ({experts:,}) değerinden büyük</translation>
    </message>
    <message>
        <source>{arch}.expert_count is {experts:,} but {arch}.expert_used_count is 0</source>
        <translation>{arch}.expert_count değeri {experts:,}, ancak {arch}.expert_used_count değeri 0</translation>
    </message>
    <message>
        <source>{arch}.expert_group_count ({groups:,}) must be smaller than {arch}.expert_count ({experts:,})</source>
        <translation>{arch}.expert_group_count ({groups:,}) değeri {arch}.expert_count ({experts:,}) değerinden küçük olmalıdır</translation>
    </message>
    <message>
        <source>the expert groups do not add up ({experts:,} experts in {groups:,} groups, {used:,} used)</source>
        <translation>uzman grupları tutarlı değil ({groups:,} grupta {experts:,} uzman, {used:,} kullanılan)</translation>
    </message>
    <message>
        <source>{arch}.expert_used_count or expert_group_count is set but the model has no experts</source>
        <translation>{arch}.expert_used_count veya expert_group_count ayarlanmış, ancak modelde hiç uzman yok</translation>
    </message>
</context>
<context>
    <name>EngineProbe</name>
    <message>
        <source>fast (llama.cpp&apos;s optimized CPU kernels): {reason}</source>
        <translation>hızlı (llama.cpp&apos;nin optimize edilmiş CPU çekirdekleri): {reason}</translation>
    </message>
    <message>
        <source>safe (no weight repacking or AMX): {reason}</source>
        <translation>güvenli (ağırlıklar yeniden paketlenmez, AMX kullanılmaz): {reason}</translation>
    </message>
    <message>
        <source>safe, but llama.cpp failed its check on this machine: {reason}</source>
        <translation>güvenli, ancak llama.cpp bu makinedeki denetimi geçemedi: {reason}</translation>
    </message>
    <message>
        <source>fast</source>
        <translation>hızlı</translation>
    </message>
    <message>
        <source>safe</source>
        <translation>güvenli</translation>
    </message>
    <message>
        <source>crashed ({details})</source>
        <translation>çöktü ({details})</translation>
    </message>
    <message>
        <source>computed wrong results ({details})</source>
        <translation>yanlış sonuçlar hesapladı ({details})</translation>
    </message>
    <message>
        <source>failed ({details})</source>
        <translation>başarısız oldu ({details})</translation>
    </message>
    <message>
        <source>hung ({details})</source>
        <translation>takılıp kaldı ({details})</translation>
    </message>
    <message>
        <source>no answer within {seconds:.0f} s</source>
        <translation>{seconds:.0f} sn içinde yanıt gelmedi</translation>
    </message>
    <message>
        <source>could not start the probe: {error}</source>
        <translation>sınama başlatılamadı: {error}</translation>
    </message>
    <message>
        <source>the process died with {signal}</source>
        <translation>süreç {signal} ile sonlandı</translation>
    </message>
    <message>
        <source>the process exited with code {code} and no answer</source>
        <translation>süreç yanıt vermeden çıkış kodu {code} ile kapandı</translation>
    </message>
    <message>
        <source>{first}; {second}</source>
        <translation>{first}; {second}</translation>
    </message>
    <message>
        <source>{config} {summary}</source>
        <translation>{config} yapılandırma {summary}</translation>
    </message>
    <message>
        <source>a {n}-token prompt evaluated correctly in {seconds:.1f} s</source>
        <translation>{n} belirteçlik bir istem {seconds:.1f} sn içinde doğru değerlendirildi</translation>
    </message>
    <message>
        <source>llama.cpp&apos;s optimized kernels {summary} on a {n}-token prompt; the safe configuration evaluated it correctly</source>
        <translation>llama.cpp&apos;nin optimize edilmiş çekirdekleri {n} belirteçlik bir istemde {summary}; güvenli yapılandırma istemi doğru değerlendirdi</translation>
    </message>
    <message>
        <source>every configuration failed: {failures}. Rebuild llama.cpp for this computer (README: Building)</source>
        <translation>tüm yapılandırmalar başarısız oldu: {failures}. llama.cpp&apos;yi bu bilgisayar için yeniden derleyin (README: Building)</translation>
    </message>
    <message>
        <source>llama.cpp could not load the probe model</source>
        <translation>llama.cpp sınama modelini yükleyemedi</translation>
    </message>
    <message>
        <source>llama.cpp could not create a context</source>
        <translation>llama.cpp bir bağlam oluşturamadı</translation>
    </message>
    <message>
        <source>non-finite logits</source>
        <translation>sonlu olmayan logit değerleri</translation>
    </message>
    <message>
        <source>batched vs token-by-token logits differ by {diff:.2%} of their range</source>
        <translation>toplu ve belirteç belirteç hesaplanan logit değerleri arasındaki fark: aralıklarının {diff:.2%} kadarı</translation>
    </message>
    <message>
        <source>batched vs token-by-token logits differ by {diff:.2%} of their range, different top token</source>
        <translation>toplu ve belirteç belirteç hesaplanan logit değerleri arasındaki fark: aralıklarının {diff:.2%} kadarı; en olası belirteç farklı</translation>
    </message>
</context>
<context>
    <name>EngineProcess</name>
    <message>
        <source>while waiting for a message</source>
        <translation>mesaj beklerken</translation>
    </message>
    <message>
        <source>while starting</source>
        <translation>başlarken</translation>
    </message>
    <message>
        <source>while loading the model</source>
        <translation>modeli yüklerken</translation>
    </message>
    <message>
        <source>while reading the conversation</source>
        <translation>sohbeti okurken</translation>
    </message>
    <message>
        <source>while writing the reply</source>
        <translation>yanıtı yazarken</translation>
    </message>
    <message>
        <source>while counting tokens</source>
        <translation>belirteçleri sayarken</translation>
    </message>
    <message>
        <source>while changing the chat format</source>
        <translation>sohbet biçimini değiştirirken</translation>
    </message>
    <message>
        <source>while computing embeddings</source>
        <translation>gömmeleri hesaplarken</translation>
    </message>
    <message>
        <source>a memory access fault in llama.cpp ({signal})</source>
        <translation>llama.cpp içinde bellek erişim hatası ({signal})</translation>
    </message>
    <message>
        <source>llama.cpp stopped itself (abort) ({signal})</source>
        <translation>llama.cpp kendini durdurdu (abort) ({signal})</translation>
    </message>
    <message>
        <source>it was killed, often because the computer ran out of memory ({signal})</source>
        <translation>sonlandırıldı; bunun nedeni çoğunlukla bilgisayarın belleğinin tükenmesidir ({signal})</translation>
    </message>
    <message>
        <source>an instruction this CPU does not have ({signal})</source>
        <translation>bu işlemcide bulunmayan bir komut ({signal})</translation>
    </message>
    <message>
        <source>an arithmetic fault in llama.cpp ({signal})</source>
        <translation>llama.cpp içinde aritmetik hata ({signal})</translation>
    </message>
    <message>
        <source>it was stopped by a signal ({signal})</source>
        <translation>bir sinyalle durduruldu ({signal})</translation>
    </message>
    <message>
        <source>it stopped answering</source>
        <translation>yanıt vermeyi bıraktı</translation>
    </message>
    <message>
        <source>a native fault (code 0x{code:08X})</source>
        <translation>yerel bir hata (kod 0x{code:08X})</translation>
    </message>
    <message>
        <source>it exited with code {code}</source>
        <translation>çıkış kodu {code} ile kapandı</translation>
    </message>
    <message>
        <source>The engine process speaks protocol {theirs!r}, Hearth {ours}: reinstall Hearth.</source>
        <translation>Motor süreci {theirs!r} protokolünü kullanıyor, Hearth ise {ours} protokolünü: lütfen Hearth uygulamasını yeniden kurun.</translation>
    </message>
    <message>
        <source>No model is loaded. Pick a model and press Load.</source>
        <translation>Yüklü bir model yok. Bir model seçip Yükle&apos;ye basın.</translation>
    </message>
    <message>
        <source>it did not answer in time</source>
        <translation>zamanında yanıt vermedi</translation>
    </message>
    <message>
        <source>The engine stopped {when}: {cause}. llama.cpp said: {said}</source>
        <translation>Motor {when} durdu: {cause}. llama.cpp şunu bildirdi: {said}</translation>
    </message>
    <message>
        <source>The engine stopped {when}: {cause}.</source>
        <translation>Motor {when} durdu: {cause}.</translation>
    </message>
    <message>
        <source>The model could not be loaded.</source>
        <translation>Model yüklenemedi.</translation>
    </message>
    <message>
        <source>The conversation could not be tokenized.</source>
        <translation>Sohbet belirteçlere ayrılamadı.</translation>
    </message>
    <message>
        <source>The texts could not be tokenized.</source>
        <translation>Metinler belirteçlere ayrılamadı.</translation>
    </message>
    <message>
        <source>The embeddings could not be computed.</source>
        <translation>Gömmeler hesaplanamadı.</translation>
    </message>
</context>
<context>
    <name>EngineProjector</name>
    <message>
        <source>it is not a usable GGUF file: {error}</source>
        <translation>kullanılabilir bir GGUF dosyası değil: {error}</translation>
    </message>
    <message>
        <source>it could not be read: {error}</source>
        <translation>okunamadı: {error}</translation>
    </message>
    <message>
        <source>it is not a projector (its architecture is missing, not clip)</source>
        <translation>bir projektör değil (mimarisi belirtilmemiş, clip değil)</translation>
    </message>
    <message>
        <source>it is not a projector (its architecture is {arch}, not clip)</source>
        <translation>bir projektör değil (mimarisi clip değil: {arch})</translation>
    </message>
    <message>
        <source>it has no vision encoder</source>
        <translation>görüntü kodlayıcısı yok</translation>
    </message>
    <message>
        <source>its layer norm epsilon is {eps}</source>
        <translation>katman normu epsilon değeri geçersiz: {eps}</translation>
    </message>
    <message>
        <source>its {heads} attention heads do not divide its width {width}</source>
        <translation>dikkat başı sayısı ({heads}) genişliğini ({width}) tam bölmüyor</translation>
    </message>
    <message>
        <source>its image size {size} and patch size {patch} do not fit together</source>
        <translation>görsel boyutu ({size}) ile yama boyutu ({patch}) birbirine uymuyor</translation>
    </message>
    <message>
        <source>the projector {path} does not exist</source>
        <translation>projektör bulunamadı: {path}</translation>
    </message>
    <message>
        <source>the projector {file} cannot be used: {problem}</source>
        <translation>{file} projektörü kullanılamıyor: {problem}</translation>
    </message>
    <message>
        <source>the projector {file} does not fit this model: its output width {width} does not match the model&apos;s {model_width}</source>
        <translation>{file} projektörü bu modele uymuyor: çıktı genişliği ({width}) modelinkiyle ({model_width}) eşleşmiyor</translation>
    </message>
    <message>
        <source>llama.cpp could not load the projector {file}: {reasons}</source>
        <translation>llama.cpp {file} projektörünü yükleyemedi: {reasons}</translation>
    </message>
    <message>
        <source>llama.cpp could not load the projector {file}</source>
        <translation>llama.cpp {file} projektörünü yükleyemedi</translation>
    </message>
    <message>
        <source>the prompt has {markers} image markers for {images} images</source>
        <translation>istemde {images} görsel için {markers} görsel işaretçisi var</translation>
    </message>
    <message>
        <source>llama.cpp could not decode an image of {width}x{height}</source>
        <translation>llama.cpp {width}x{height} boyutundaki bir görseli çözemedi</translation>
    </message>
    <message>
        <source>the image markers and images do not pair up</source>
        <translation>görsel işaretçileri ile görseller eşleşmiyor</translation>
    </message>
    <message>
        <source>an image could not be preprocessed</source>
        <translation>bir görsel ön işlemeden geçirilemedi</translation>
    </message>
    <message>
        <source>error {rc}</source>
        <translation>hata {rc}</translation>
    </message>
    <message>
        <source>llama.cpp could not tokenize the prompt: {why}</source>
        <translation>llama.cpp istemi belirteçlere ayıramadı: {why}</translation>
    </message>
    <message>
        <source>the projector {file} was made for another text model: it needs special tokens this model&apos;s vocabulary lacks</source>
        <translation>{file} projektörü başka bir metin modeli için yapılmış: bu modelin sözcük dağarcığında olmayan özel belirteçler gerektiriyor</translation>
    </message>
    <message>
        <source>the projector gave a chunk that is neither text nor image (audio?)</source>
        <translation>projektör ne metin ne de görsel olan bir parça verdi (ses mi?)</translation>
    </message>
    <message>
        <source>the chunk ({n_pos} positions from {n_past}) does not fit the context of {n_ctx}</source>
        <translation>parça ({n_past} konumundan itibaren {n_pos} konum) {n_ctx} uzunluğundaki bağlama sığmıyor</translation>
    </message>
    <message>
        <source>llama.cpp could not evaluate the image chunk (error {rc})</source>
        <translation>llama.cpp görsel parçasını değerlendiremedi (hata {rc})</translation>
    </message>
    <message>
        <source>llama.cpp could not evaluate the text chunk (error {rc})</source>
        <translation>llama.cpp metin parçasını değerlendiremedi (hata {rc})</translation>
    </message>
</context>
<context>
    <name>EngineSafeRetry</name>
    <message>
        <source>CPU only, context {n_ctx:,} tokens, KV cache f16, no flash attention, no weight repacking</source>
        <translation>Yalnızca CPU, bağlam {n_ctx:,} belirteç, KV önbelleği f16, flash attention yok, ağırlıklar yeniden paketlenmez</translation>
    </message>
</context>
<context>
    <name>EngineVision</name>
    <message>
        <source>This model cannot see images: it has no vision projector. Load it with its projector (mmproj), or remove the image.</source>
        <translation>Bu model görselleri göremez: görüntü projektörü yok. Modeli projektörüyle (mmproj) birlikte yükleyin ya da görseli kaldırın.</translation>
    </message>
    <message>
        <source>The image could not be read by the vision projector: {error}</source>
        <translation>Görsel, görüntü projektörü tarafından okunamadı: {error}</translation>
    </message>
    <message>
        <source>The prompt with images could not be prepared: {error}</source>
        <translation>Görselli istem hazırlanamadı: {error}</translation>
    </message>
    <message>
        <source>The chat template put an image at the very end of the prompt.</source>
        <translation>Sohbet şablonu istemin en sonuna bir görsel koydu.</translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <source>Remote backends are not available here.</source>
        <translation>Uzak arka uçlar burada kullanılamıyor.</translation>
    </message>
    <message>
        <source>Unexpected error while connecting: {error}</source>
        <translation>Bağlanırken beklenmeyen hata: {error}</translation>
    </message>
    <message>
        <source>{name} crashed the engine before and worked with safe settings ({settings}): they are used again.</source>
        <translation>{name} motoru daha önce çökertmişti ve güvenli ayarlarla ({settings}) çalışmıştı: bu ayarlar yeniden kullanılıyor.</translation>
    </message>
    <message>
        <source>{name} is loaded again.</source>
        <translation>{name} yeniden yüklendi.</translation>
    </message>
    <message>
        <source>Unexpected error while loading: {error}</source>
        <translation>Yüklenirken beklenmeyen hata: {error}</translation>
    </message>
    <message>
        <source>Documents are not available here.</source>
        <translation>Belgeler burada kullanılamıyor.</translation>
    </message>
    <message>
        <source>The documents ({collection}) could not be searched: {error}</source>
        <translation>Belgelerde ({collection}) arama yapılamadı: {error}</translation>
    </message>
    <message>
        <source>Generation failed: {error}</source>
        <translation>Yanıt üretilemedi: {error}</translation>
    </message>
    <message>
        <source>The engine crashed %n time(s) in a row, so Hearth stopped restarting it. Load the model again to retry, or pick another model.</source>
        <translation>Motor art arda %n kez çöktü, bu yüzden Hearth onu yeniden başlatmayı bıraktı. Yeniden denemek için modeli tekrar yükleyin ya da başka bir model seçin.</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>{app}: unexpected error</source>
        <translation>{app}: beklenmeyen hata</translation>
    </message>
    <message>
        <source>Something went wrong: {error}</source>
        <translation>Bir şeyler ters gitti: {error}</translation>
    </message>
    <message>
        <source>Hearth keeps running. The details were written to the log file; if this keeps happening, please report it with the details below.</source>
        <translation>Hearth çalışmaya devam ediyor. Ayrıntılar günlük dosyasına yazıldı; bu durum tekrarlanırsa lütfen aşağıdaki ayrıntılarla birlikte bildirin.</translation>
    </message>
</context>
<context>
    <name>FitExtras</name>
    <message>
        <source>adapter {name} ({size})</source>
        <translation>{name} adlı bağdaştırıcı ({size})</translation>
    </message>
    <message>
        <source>vision projector ({size})</source>
        <translation>görüntü projektörü ({size})</translation>
    </message>
    <message>
        <source>with {part}</source>
        <translation>· {part} dahil</translation>
    </message>
    <message>
        <source>with {parts} and {last}</source>
        <translation>· {parts} ve {last} dahil</translation>
    </message>
</context>
<context>
    <name>FitTableModel</name>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Sonuç</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>GPU katmanları</translation>
    </message>
    <message>
        <source>Largest context</source>
        <translation>En büyük bağlam</translation>
    </message>
    <message>
        <source>Memory needed</source>
        <translation>Gereken bellek</translation>
    </message>
    <message>
        <source>Breakdown</source>
        <translation>Dağılım</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Bilinmiyor</translation>
    </message>
    <message>
        <source>{verdict} · past its trained {tokens}</source>
        <translation>{verdict} · eğitildiği {tokens} sınırının ötesinde</translation>
    </message>
    <message>
        <source>{tokens} tokens</source>
        <translation>{tokens} belirteç</translation>
    </message>
    <message>
        <source>weights {weights}, KV {kv}, compute {compute}</source>
        <translation>ağırlıklar {weights}, KV {kv}, hesaplama {compute}</translation>
    </message>
</context>
<context>
    <name>FitVerdict</name>
    <message>
        <source>unknown KV cache type {kv_type}; choose one of {types}</source>
        <translation>bilinmeyen KV önbelleği türü: {kv_type}; şunlardan birini seçin: {types}</translation>
    </message>
    <message>
        <source>the context length must be at least 1 token</source>
        <translation>bağlam uzunluğu en az 1 belirteç olmalı</translation>
    </message>
    <message>
        <source>a context of {tokens} tokens is beyond anything llama.cpp supports</source>
        <translation>{tokens} belirteçlik bir bağlam, llama.cpp&apos;nin desteklediği her sınırın ötesinde</translation>
    </message>
    <message>
        <source>a {kv_type} KV cache needs flash attention: llama.cpp cannot quantize the V cache without it (turn flash attention on, or use f16)</source>
        <translation>{kv_type} türündeki KV önbelleği flash attention gerektirir: llama.cpp onsuz V önbelleğini nicemleyemez (flash attention&apos;ı açın ya da f16 kullanın)</translation>
    </message>
    <message>
        <source>a {kv_type} KV cache needs rows that are multiples of {block} values; this model&apos;s are {n}</source>
        <translation>{kv_type} türündeki KV önbelleği, satırların {block} değerin katı olmasını gerektirir; bu modelin satırları: {n}</translation>
    </message>
    <message>
        <source>Fits on the GPU fully</source>
        <translation>Tamamen GPU&apos;ya sığıyor</translation>
    </message>
    <message>
        <source>Partial GPU offload</source>
        <translation>Kısmen GPU&apos;da</translation>
    </message>
    <message>
        <source>CPU only, fits in RAM</source>
        <translation>Yalnızca CPU, RAM&apos;e sığıyor</translation>
    </message>
    <message>
        <source>Does not fit</source>
        <translation>Sığmıyor</translation>
    </message>
    <message>
        <source>Partial offload ({gpu} of {total} layers on the GPU)</source>
        <translation>Kısmen GPU&apos;da ({total} katmanın {gpu} tanesi GPU&apos;da)</translation>
    </message>
    <message>
        <source>the installed llama.cpp cannot offload to {devices}; it runs on the CPU</source>
        <translation>kurulu llama.cpp şu aygıtlara aktarım yapamıyor: {devices}; model CPU&apos;da çalışır</translation>
    </message>
    <message>
        <source>{tokens} tokens is more than the {trained} the model was trained on</source>
        <translation>{tokens} belirteç, modelin eğitildiği {trained} belirteçten fazla</translation>
    </message>
    <message>
        <source>the file does not say which architecture it is (general.architecture is missing)</source>
        <translation>dosya hangi mimariye ait olduğunu belirtmiyor (general.architecture yok)</translation>
    </message>
    <message>
        <source>the file lacks {arch}.block_count or {arch}.embedding_length</source>
        <translation>dosyada {arch}.block_count ya da {arch}.embedding_length yok</translation>
    </message>
    <message>
        <source>implausible model shape: {layers} layers of width {width}</source>
        <translation>gerçekçi olmayan model şekli: {width} genişliğinde {layers} katman</translation>
    </message>
    <message>
        <source>tensor {name} belongs to layer {layer}, but the model has {count}</source>
        <translation>{name} tensörü {layer}. katmana ait, ancak modelde {count} katman var</translation>
    </message>
    <message>
        <source>the file holds no tensors (a vocabulary-only file?)</source>
        <translation>dosyada hiç tensör yok (yalnızca sözcük dağarcığı içeren bir dosya mı?)</translation>
    </message>
    <message>
        <source>estimated from the model&apos;s architecture and file size (no header read yet)</source>
        <translation>modelin mimarisinden ve dosya boyutundan tahmin edildi (başlık henüz okunmadı)</translation>
    </message>
    <message>
        <source>Fits (GPU)</source>
        <translation>Sığıyor (GPU)</translation>
    </message>
    <message>
        <source>Fits (CPU, in RAM)</source>
        <translation>Sığıyor (CPU, RAM&apos;de)</translation>
    </message>
    <message>
        <source>Partly on GPU</source>
        <translation>Kısmen GPU&apos;da</translation>
    </message>
    <message>
        <source>Too big</source>
        <translation>Çok büyük</translation>
    </message>
    <message>
        <source>{label} (even {quant})</source>
        <translation>{label} ({quant} bile)</translation>
    </message>
    <message>
        <source>{label} at {tokens} tokens: needs about {need} GiB, {have} GiB available. Largest context that fits: {largest} tokens.</source>
        <translation>{label} ({tokens} belirteçte): yaklaşık {need} GiB gerekiyor, {have} GiB kullanılabilir. Sığan en büyük bağlam: {largest} belirteç.</translation>
    </message>
    <message>
        <source>{detail} Estimated from the model&apos;s architecture (nothing downloaded).</source>
        <translation>{detail} Modelin mimarisinden tahmin edildi (hiçbir şey indirilmedi).</translation>
    </message>
    <message>
        <source>Checking whether a model fits</source>
        <translation>Bir modelin sığıp sığmadığını denetlemek</translation>
    </message>
    <message>
        <source>{file} says the model has {parts} parts; the repository lists {listed}</source>
        <translation>{file} dosyasına göre model {parts} parçadan oluşuyor; depoda listelenen parça sayısı: {listed}</translation>
    </message>
</context>
<context>
    <name>GgufAdapters</name>
    <message>
        <source>the LoRA pair for {weight} has shapes that do not go together: lora_a {a}, lora_b {b}</source>
        <translation>{weight} için LoRA çiftinin şekilleri birbirine uymuyor: lora_a {a}, lora_b {b}</translation>
    </message>
    <message>
        <source>the LoRA pair for {weight} is inconsistent: lora_a {a} has rank {rank_a} but lora_b {b} has rank {rank_b} (a damaged file, or one from an old converter)</source>
        <translation>{weight} için LoRA çifti tutarsız: lora_a {a} için rank {rank_a}, lora_b {b} için rank {rank_b} (bozuk bir dosya ya da eski bir dönüştürücüyle yapılmış)</translation>
    </message>
    <message>
        <source>{file} is a vision projector (mmproj), not a LoRA adapter</source>
        <translation>{file} bir LoRA bağdaştırıcısı değil, bir görüntü projektörü (mmproj)</translation>
    </message>
    <message>
        <source>{file} is not an adapter but a model (its general.type is {type}, not &apos;adapter&apos;)</source>
        <translation>{file} bir bağdaştırıcı değil, bir model (general.type değeri &apos;adapter&apos; değil, {type})</translation>
    </message>
    <message>
        <source>{file} is not an adapter but something else (its general.type is {type}, not &apos;adapter&apos;)</source>
        <translation>{file} bir bağdaştırıcı değil, başka bir şey (general.type değeri &apos;adapter&apos; değil, {type})</translation>
    </message>
    <message>
        <source>{file} is not an adapter but a model (it has no general.type, not &apos;adapter&apos;)</source>
        <translation>{file} bir bağdaştırıcı değil, bir model (general.type anahtarı yok; bağdaştırıcılarda bu &apos;adapter&apos; olur)</translation>
    </message>
    <message>
        <source>{file} is not an adapter but something else (it has no general.type, not &apos;adapter&apos;)</source>
        <translation>{file} bir bağdaştırıcı değil, başka bir şey (general.type anahtarı yok; bağdaştırıcılarda bu &apos;adapter&apos; olur)</translation>
    </message>
    <message>
        <source>{file} is an adapter of type {type}; only LoRA adapters (adapter.type &apos;lora&apos;) can be applied</source>
        <translation>{file}, {type} türünde bir bağdaştırıcı; yalnızca LoRA bağdaştırıcıları (adapter.type &apos;lora&apos;) uygulanabilir</translation>
    </message>
    <message>
        <source>{file} is an adapter of type not stated; only LoRA adapters (adapter.type &apos;lora&apos;) can be applied</source>
        <translation>{file} türü belirtilmemiş bir bağdaştırıcı; yalnızca LoRA bağdaştırıcıları (adapter.type &apos;lora&apos;) uygulanabilir</translation>
    </message>
    <message>
        <source>{file} does not say which architecture it was made for (general.architecture)</source>
        <translation>{file} hangi mimari için yapıldığını belirtmiyor (general.architecture)</translation>
    </message>
    <message>
        <source>{file} holds tensor {tensor}, which is not part of a LoRA adapter (names end in .lora_a or .lora_b)</source>
        <translation>{file}, bir LoRA bağdaştırıcısına ait olmayan {tensor} tensörünü içeriyor (bu adlar .lora_a ya da .lora_b ile biter)</translation>
    </message>
    <message>
        <source>{file} holds no LoRA tensors</source>
        <translation>{file} hiç LoRA tensörü içermiyor</translation>
    </message>
    <message>
        <source>{file} has {present} without {absent}; the adapter is incomplete or damaged</source>
        <translation>{file} içinde {present} var ama {absent} yok; bağdaştırıcı eksik ya da bozuk</translation>
    </message>
    <message>
        <source>This adapter was made for {arch} models; this model is of an unknown architecture.</source>
        <translation>Bu bağdaştırıcı {arch} modelleri için yapılmış; bu modelin mimarisi bilinmiyor.</translation>
    </message>
    <message>
        <source>This adapter was made for {arch} models; this model is {model_arch}.</source>
        <translation>Bu bağdaştırıcı {arch} modelleri için yapılmış; bu modelin mimarisi: {model_arch}.</translation>
    </message>
    <message>
        <source>This adapter changes {tensor} (and %n more), which this model does not have; it was made for a different model.</source>
        <translation>Bu bağdaştırıcı bu modelde olmayan tensörleri değiştiriyor: {tensor} (ve %n tane daha); başka bir model için yapılmış.</translation>
    </message>
    <message>
        <source>This adapter changes {tensor}, which this model does not have; it was made for a different model.</source>
        <translation>Bu bağdaştırıcı bu modelde olmayan bir tensörü değiştiriyor: {tensor}; başka bir model için yapılmış.</translation>
    </message>
    <message>
        <source>This adapter does not fit this model: it expects {tensor} to have shape {want}, but the model&apos;s is {have}; it was made for a different model.</source>
        <translation>Bu bağdaştırıcı bu modele uymuyor: {tensor} tensörünün şeklinin {want} olmasını bekliyor, ama modeldeki {have}; başka bir model için yapılmış.</translation>
    </message>
    <message>
        <source>This adapter does not fit this model: it has {made_for} expert matrices for {tensor}, but the model has {experts} experts there.</source>
        <translation>Bu bağdaştırıcı bu modele uymuyor: {tensor} için {made_for} uzman matrisi içeriyor, ama modelde orada {experts} uzman var.</translation>
    </message>
    <message>
        <source>This adapter changes the token embeddings, which this model shares with its output layer; llama.cpp cannot apply such an adapter to it (it would crash).</source>
        <translation>Bu bağdaştırıcı belirteç gömmelerini değiştiriyor; bu model onları çıktı katmanıyla paylaşıyor. llama.cpp böyle bir bağdaştırıcıyı bu modele uygulayamaz (çöker).</translation>
    </message>
    <message>
        <source>The adapter {path} does not exist</source>
        <translation>Bağdaştırıcı bulunamadı: {path}</translation>
    </message>
    <message>
        <source>The adapter {file} cannot be used: {error}</source>
        <translation>{file} bağdaştırıcısı kullanılamıyor: {error}</translation>
    </message>
    <message>
        <source>The adapter {file} cannot be read: {error}</source>
        <translation>{file} bağdaştırıcısı okunamıyor: {error}</translation>
    </message>
    <message>
        <source>The adapter {file} does not fit this model: {problem}</source>
        <translation>{file} bağdaştırıcısı bu modele uymuyor: {problem}</translation>
    </message>
    <message>
        <source>The adapter {file} does not fit {model}: {problem}</source>
        <translation>{file} bağdaştırıcısı {model} modeline uymuyor: {problem}</translation>
    </message>
</context>
<context>
    <name>GgufHeader</name>
    <message>
        <source>the file ends in the middle of {what} (at byte {pos:,} of {size:,}); it is truncated or damaged</source>
        <translation>{what} okunurken dosya bitiyor (bayt {pos:,} / {size:,}); dosya yarım kalmış ya da bozuk</translation>
    </message>
    <message>
        <source>the header is implausibly large: {what} at byte {pos:,} is past the {limit:,}-byte limit for a GGUF header</source>
        <translation>başlık inanılmayacak kadar büyük: {what}, bayt {pos:,} konumunda, yani bir GGUF başlığı için konan {limit:,} baytlık sınırın ötesinde</translation>
    </message>
    <message>
        <source>could not read {n} bytes at offset {pos:,} (got {got}); the file is truncated or changed while it was being read</source>
        <translation>{pos:,} konumunda {n} bayt okunamadı (yalnızca {got} bayt alındı); dosya yarım kalmış ya da okunurken değişmiş</translation>
    </message>
    <message>
        <source>the length of {what}</source>
        <translation>{what} için uzunluk alanı</translation>
    </message>
    <message>
        <source>element {i} of {what}</source>
        <translation>{what} içindeki öğe #{i}</translation>
    </message>
    <message>
        <source>{what} is {n:,} bytes long (at most {max_len:,} allowed)</source>
        <translation>{what} {n:,} bayt uzunluğunda (en çok {max_len:,} bayta izin verilir)</translation>
    </message>
    <message>
        <source>{what} claims {n:,} bytes but only {remaining:,} remain in the file</source>
        <translation>{what}, {n:,} bayt uzunluğunda olduğunu bildiriyor, ama dosyada yalnızca {remaining:,} bayt kaldı</translation>
    </message>
    <message>
        <source>{what} is not valid UTF-8 text</source>
        <translation>{what} geçerli bir UTF-8 metni değil</translation>
    </message>
    <message>
        <source>{what} has unknown value type {vtype}</source>
        <translation>{what} bilinmeyen bir değer türünde: {vtype}</translation>
    </message>
    <message>
        <source>{what} nests arrays {depth} deep; GGUF models never do</source>
        <translation>{what} iç içe {depth} düzey dizi içeriyor; GGUF modellerinde bu hiç görülmez</translation>
    </message>
    <message>
        <source>the element type of {what}</source>
        <translation>{what} için öğe türü alanı</translation>
    </message>
    <message>
        <source>{what} claims {count:,} elements, more than the rest of the file could hold</source>
        <translation>{what}, {count:,} öğe içerdiğini bildiriyor; bu, dosyanın geri kalanına sığabilecek olandan fazla</translation>
    </message>
    <message>
        <source>{what} claims {count:,} strings, more than the rest of the file could hold</source>
        <translation>{what}, {count:,} dize içerdiğini bildiriyor; bu, dosyanın geri kalanına sığabilecek olandan fazla</translation>
    </message>
    <message>
        <source>{what} claims {count:,} nested arrays, more than the file could hold</source>
        <translation>{what}, {count:,} iç içe dizi içerdiğini bildiriyor; bu, dosyaya sığabilecek olandan fazla</translation>
    </message>
    <message>
        <source>{what} has unknown element type {itype}</source>
        <translation>{what} bilinmeyen bir öğe türünde: {itype}</translation>
    </message>
    <message>
        <source>{what} holds {count:,} strings; together with the other string arrays that is far more than any real model&apos;s vocabulary</source>
        <translation>{what} {count:,} dize içeriyor; öteki dize dizileriyle birlikte bu, gerçek herhangi bir modelin sözcük dağarcığından çok daha fazla</translation>
    </message>
    <message>
        <source>{what} runs past the end of the header limit</source>
        <translation>{what} başlık sınırının ötesine taşıyor</translation>
    </message>
    <message>
        <source>the file is only {size} bytes long; a GGUF file starts with &apos;GGUF&apos;</source>
        <translation>dosya yalnızca {size} bayt uzunluğunda; bir GGUF dosyası &apos;GGUF&apos; ile başlar</translation>
    </message>
    <message>
        <source>the magic bytes</source>
        <translation>GGUF imza baytları</translation>
    </message>
    <message>
        <source>the file is a big-endian GGUF, which llama.cpp on this computer cannot read</source>
        <translation>dosya big-endian (büyük sonlu) bir GGUF; bu bilgisayardaki llama.cpp onu okuyamaz</translation>
    </message>
    <message>
        <source>this is not a GGUF file (it starts with {start}, not b&apos;GGUF&apos;)</source>
        <translation>bu bir GGUF dosyası değil (b&apos;GGUF&apos; ile değil, şununla başlıyor: {start})</translation>
    </message>
    <message>
        <source>the version number</source>
        <translation>sürüm numarası</translation>
    </message>
    <message>
        <source>GGUF version 1 is too old for current llama.cpp; download a newer conversion</source>
        <translation>GGUF sürüm 1, güncel llama.cpp için çok eski; modelin daha yeni bir dönüştürmesini indirin</translation>
    </message>
    <message>
        <source>unsupported GGUF version {version} (Hearth reads versions 2 and 3)</source>
        <translation>desteklenmeyen GGUF sürümü: {version} (Hearth 2. ve 3. sürümleri okur)</translation>
    </message>
    <message>
        <source>the tensor count</source>
        <translation>tensör sayısı</translation>
    </message>
    <message>
        <source>the metadata count</source>
        <translation>meta veri sayısı</translation>
    </message>
    <message>
        <source>the header claims {count:,} tensors, more than a file of {size:,} bytes could describe: it is truncated or damaged</source>
        <translation>başlık {count:,} tensör bildiriyor; {size:,} baytlık bir dosya bu kadarını tanımlayamaz: dosya yarım kalmış ya da bozuk</translation>
    </message>
    <message>
        <source>the header claims {count:,} metadata entries, more than a file of {size:,} bytes could hold: it is truncated or damaged</source>
        <translation>başlık {count:,} meta veri girdisi bildiriyor; {size:,} baytlık bir dosya bu kadarını barındıramaz: dosya yarım kalmış ya da bozuk</translation>
    </message>
    <message>
        <source>metadata key #{i}</source>
        <translation>{i} numaralı meta veri anahtarı</translation>
    </message>
    <message>
        <source>metadata key #{i} ({key}) is empty or contains characters keys cannot have</source>
        <translation>{i} numaralı meta veri anahtarı ({key}) boş ya da anahtarlarda bulunamayacak karakterler içeriyor</translation>
    </message>
    <message>
        <source>metadata key {key} appears twice</source>
        <translation>{key} meta veri anahtarı iki kez geçiyor</translation>
    </message>
    <message>
        <source>the value type of {key}</source>
        <translation>{key} anahtarının değer türü</translation>
    </message>
    <message>
        <source>metadata value {key}</source>
        <translation>{key} meta veri değeri</translation>
    </message>
    <message>
        <source>general.alignment must be a uint32</source>
        <translation>general.alignment bir uint32 olmalı</translation>
    </message>
    <message>
        <source>general.alignment is {value}; it must be a power of two</source>
        <translation>general.alignment değeri {value}; ikinin bir kuvveti olmalı</translation>
    </message>
    <message>
        <source>the name of tensor #{i}</source>
        <translation>{i} numaralı tensörün adı</translation>
    </message>
    <message>
        <source>tensor #{i} has an empty name or one of {max} bytes or more ({name})</source>
        <translation>{i} numaralı tensörün adı boş ya da {max} bayt veya daha uzun ({name})</translation>
    </message>
    <message>
        <source>tensor {name} appears twice</source>
        <translation>{name} tensörü iki kez geçiyor</translation>
    </message>
    <message>
        <source>the dimension count of tensor {name}</source>
        <translation>{name} tensörünün boyut sayısı</translation>
    </message>
    <message>
        <source>tensor {name} has {n} dimensions (1 to {max} allowed)</source>
        <translation>{name} tensörünün boyut sayısı {n} (1 ile {max} arası olabilir)</translation>
    </message>
    <message>
        <source>dimension {d} of tensor {name}</source>
        <translation>{name} tensörünün {d} numaralı boyutu</translation>
    </message>
    <message>
        <source>the type of tensor {name}</source>
        <translation>{name} tensörünün türü</translation>
    </message>
    <message>
        <source>the offset of tensor {name}</source>
        <translation>{name} tensörünün başlangıç konumu</translation>
    </message>
    <message>
        <source>tensor {name} starts at offset {offset:,}, which is not a multiple of the file&apos;s alignment ({alignment})</source>
        <translation>{name} tensörü {offset:,} konumunda başlıyor; bu, dosyanın hizalamasının ({alignment}) bir katı değil</translation>
    </message>
    <message>
        <source>tensor {name} (offset {offset:,}) overlaps tensor {other}, which ends at {end:,}</source>
        <translation>{name} tensörü ({offset:,} konumunda) {other} tensörüyle çakışıyor; o tensör {end:,} konumunda bitiyor</translation>
    </message>
    <message>
        <source>tensor {name} starts at offset {offset:,}, but llama.cpp expects tensors back to back and this one should start at {expected:,}</source>
        <translation>{name} tensörü {offset:,} konumunda başlıyor; ama llama.cpp tensörlerin art arda gelmesini bekler ve bu tensör {expected:,} konumunda başlamalıydı</translation>
    </message>
    <message>
        <source>tensor {name} needs bytes up to {end:,} but the file has only {size:,}; the file is truncated (an incomplete download?)</source>
        <translation>{name} tensörü {end:,} bayta kadar veri gerektiriyor, ama dosya yalnızca {size:,} bayt; dosya yarım kalmış (tamamlanmamış bir indirme mi?)</translation>
    </message>
    <message>
        <source>the tensor data section starts after the end of the file</source>
        <translation>tensör verisi bölümü dosyanın sonundan sonra başlıyor</translation>
    </message>
    <message>
        <source>tensor {name} uses type {type}, which llama.cpp no longer supports; download a newer conversion of this model</source>
        <translation>{name} tensörü {type} türünü kullanıyor ve llama.cpp bu türü artık desteklemiyor; bu modelin daha yeni bir dönüştürmesini indirin</translation>
    </message>
    <message>
        <source>tensor {name} has unknown tensor type {type}</source>
        <translation>{name} tensörünün türü bilinmiyor: {type}</translation>
    </message>
    <message>
        <source>tensor {name} has a zero-sized dimension {shape}</source>
        <translation>{name} tensörünün boyutlarından biri sıfır: {shape}</translation>
    </message>
    <message>
        <source>tensor {name} has an impossible shape {shape}</source>
        <translation>{name} tensörünün şekli olanaksız: {shape}</translation>
    </message>
    <message>
        <source>tensor {name} has rows of {n} elements, not a multiple of the {type} block size ({block})</source>
        <translation>{name} tensörünün satırları {n} öğeli; bu, {type} blok boyutunun ({block}) bir katı değil</translation>
    </message>
    <message>
        <source>the header could not be parsed ({error})</source>
        <translation>başlık çözümlenemedi ({error})</translation>
    </message>
    <message>
        <source>{file} names an impossible number of shards ({count})</source>
        <translation>{file} dosyasının adı olanaksız sayıda parça belirtiyor ({count})</translation>
    </message>
    <message>
        <source>{file}: {error}</source>
        <translation>{file}: {error}</translation>
    </message>
    <message>
        <source>shard {no} of {count} ({file}) is missing; download all parts of the model into the same folder</source>
        <translation>modelin {count} parçasından {no}. parça ({file}) eksik; modelin tüm parçalarını aynı klasöre indirin</translation>
    </message>
    <message>
        <source>{file} says the model has {count} parts, but its name says {named}</source>
        <translation>{file}, modelin {count} parçadan oluştuğunu söylüyor, ama dosya adına göre {named} parça var</translation>
    </message>
    <message>
        <source>{file} says it is part {no}, but its name says part {named}</source>
        <translation>{file}, kendisinin {no}. parça olduğunu söylüyor, ama dosya adına göre {named}. parça</translation>
    </message>
    <message>
        <source>the parts hold {total} tensors but the first part announces {expected}</source>
        <translation>parçalarda toplam {total} tensör var, ama ilk parça {expected} tensör bildiriyor</translation>
    </message>
    <message>
        <source>tensor {name} appears in more than one part</source>
        <translation>{name} tensörü birden fazla parçada geçiyor</translation>
    </message>
</context>
<context>
    <name>GgufRemote</name>
    <message>
        <source>Reading a model&apos;s header from the Hub</source>
        <translation>Bir modelin başlığını Hub&apos;dan okumak</translation>
    </message>
    <message>
        <source>the file on the server is empty</source>
        <translation>sunucudaki dosya boş</translation>
    </message>
    <message>
        <source>the Hub refused access to {file} (HTTP {status}): the model may be gated or private; accept its licence on the Hub and set a token</source>
        <translation>Hub, {file} dosyasına erişimi reddetti (HTTP {status}): modelin erişimi kısıtlı ya da model özel olabilir; Hub&apos;da lisansını kabul edin ve bir erişim belirteci ayarlayın</translation>
    </message>
    <message>
        <source>{file} was not found on the Hub (HTTP 404): check the repository and file name</source>
        <translation>{file} Hub&apos;da bulunamadı (HTTP 404): depo ve dosya adını denetleyin</translation>
    </message>
    <message>
        <source>the Hub answered HTTP {status} for {file}</source>
        <translation>Hub, {file} için HTTP {status} yanıtı verdi</translation>
    </message>
    <message>
        <source>the server sent the whole of {file} instead of a part (HTTP {status}); it does not support range requests, so the header cannot be read without downloading the model</source>
        <translation>sunucu {file} dosyasının bir kısmı yerine tamamını gönderdi (HTTP {status}); aralık isteklerini (Range) desteklemiyor, bu yüzden başlık model indirilmeden okunamaz</translation>
    </message>
    <message>
        <source>the server did not say how large {file} is (no Content-Range)</source>
        <translation>sunucu {file} dosyasının boyutunu bildirmedi (Content-Range yok)</translation>
    </message>
    <message>
        <source>could not read {file} from the Hub: {error}</source>
        <translation>{file} Hub&apos;dan okunamadı: {error}</translation>
    </message>
</context>
<context>
    <name>HardwareBackend</name>
    <message>
        <source>the llama.cpp check exited with {code}: {message}</source>
        <translation>llama.cpp denetimi çıkış kodu {code} ile kapandı: {message}</translation>
    </message>
    <message>
        <source>no message</source>
        <translation>mesaj yok</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>Yalnızca CPU</translation>
    </message>
    <message>
        <source>{backend} (no GPU offload)</source>
        <translation>{backend} (GPU&apos;ya aktarma yok)</translation>
    </message>
    <message>
        <source>{backend} (GPU offload) on {devices}</source>
        <translation>{backend} (GPU&apos;ya aktarma), aygıtlar: {devices}</translation>
    </message>
    <message>
        <source>{backend} (GPU offload)</source>
        <translation>{backend} (GPU&apos;ya aktarma)</translation>
    </message>
</context>
<context>
    <name>HardwarePage</name>
    <message>
        <source>This computer</source>
        <translation>Bu bilgisayar</translation>
    </message>
    <message>
        <source>Detecting hardware…</source>
        <translation>Donanım algılanıyor…</translation>
    </message>
    <message>
        <source>Processor and llama.cpp build</source>
        <translation>İşlemci ve llama.cpp derlemesi</translation>
    </message>
    <message>
        <source>llama.cpp configuration</source>
        <translation>llama.cpp yapılandırması</translation>
    </message>
    <message>
        <source>Devices and memory</source>
        <translation>Aygıtlar ve bellek</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>Bağlam uzunluğu</translation>
    </message>
    <message>
        <source>KV cache type</source>
        <translation>KV önbelleği türü</translation>
    </message>
    <message>
        <source>KV cache types</source>
        <translation>KV önbelleği türleri</translation>
    </message>
    <message>
        <source>KV cache {type}</source>
        <translation>KV önbelleği {type}</translation>
    </message>
    <message>
        <source>Flash attention</source>
        <translation>Flash attention</translation>
    </message>
    <message>
        <source>Rescan</source>
        <translation>Yeniden tara</translation>
    </message>
    <message>
        <source>Rescan hardware and models</source>
        <translation>Donanımı ve modelleri yeniden tara</translation>
    </message>
    <message>
        <source>Context:</source>
        <translation>Bağlam:</translation>
    </message>
    <message>
        <source>Looking for the best starter pick for this computer…</source>
        <translation>Bu bilgisayar için en iyi başlangıç modeli aranıyor…</translation>
    </message>
    <message>
        <source>What can I run well</source>
        <translation>Neyi iyi çalıştırabilirim</translation>
    </message>
    <message>
        <source>Local models and their verdicts</source>
        <translation>Yerel modeller ve sonuçları</translation>
    </message>
    <message>
        <source>No models in the models folder yet. Download one on the Models page.</source>
        <translation>Modeller klasöründe henüz model yok. Modeller sayfasından bir model indirin.</translation>
    </message>
    <message>
        <source>Hardware page status</source>
        <translation>Donanım sayfası durumu</translation>
    </message>
    <message>
        <source>Your models on this computer</source>
        <translation>Bu bilgisayardaki modelleriniz</translation>
    </message>
    <message>
        <source>This computer and its models</source>
        <translation>Bu bilgisayar ve modelleri</translation>
    </message>
    <message>
        <source>{tokens} tokens</source>
        <translation>{tokens} belirteç</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>bilinmiyor</translation>
    </message>
    <message>
        <source>{cores} cores, {threads} threads</source>
        <translation>{cores} çekirdek, {threads} iş parçacığı</translation>
    </message>
    <message>
        <source>{threads} threads</source>
        <translation>{threads} iş parçacığı</translation>
    </message>
    <message>
        <source>llama.cpp is not available</source>
        <translation>llama.cpp kullanılamıyor</translation>
    </message>
    <message>
        <source>llama.cpp (llama-cpp-python {version}): {backend} backend, GPU offload available</source>
        <translation>llama.cpp (llama-cpp-python {version}): {backend} arka ucu, GPU&apos;ya aktarma kullanılabilir</translation>
    </message>
    <message>
        <source>llama.cpp (llama-cpp-python {version}): {backend} backend, GPU offload not available</source>
        <translation>llama.cpp (llama-cpp-python {version}): {backend} arka ucu, GPU&apos;ya aktarma kullanılamıyor</translation>
    </message>
    <message>
        <source>Unknown processor</source>
        <translation>Bilinmeyen işlemci</translation>
    </message>
    <message>
        <source>instruction sets: {flags}</source>
        <translation>komut kümeleri: {flags}</translation>
    </message>
    <message>
        <source>llama.cpp configuration: {config}</source>
        <translation>llama.cpp yapılandırması: {config}</translation>
    </message>
    <message>
        <source>Checked once per llama.cpp build and processor by evaluating a prompt in a separate process; the safe configuration is used when the fast one crashes or computes wrong results.</source>
        <translation>Her llama.cpp derlemesi ve işlemci için bir kez, ayrı bir süreçte bir istem değerlendirilerek denetlenir; hızlı yapılandırma çökerse ya da yanlış sonuç hesaplarsa güvenli yapılandırma kullanılır.</translation>
    </message>
    <message>
        <source>What can I run well: none of the starter picks fits fully and generates at a comfortable speed at {tokens} tokens; try a shorter context.</source>
        <translation>Neyi iyi çalıştırabilirim: başlangıç modellerinden hiçbiri {tokens} belirteçte tamamen sığıp rahat bir hızda üretim yapamıyor; daha kısa bir bağlam deneyin.</translation>
    </message>
    <message>
        <source>{model} ({quant}, {size}) fits entirely on the GPU at {tokens} tokens, using about {memory}, at roughly {speed} tokens/s.</source>
        <translation>{model} ({quant}, {size}) {tokens} belirteçte tamamen GPU&apos;ya sığar; yaklaşık {memory} kullanır ve saniyede yaklaşık {speed} belirteç üretir.</translation>
    </message>
    <message>
        <source>{model} ({quant}, {size}) fits in RAM on the CPU at {tokens} tokens, using about {memory}, at roughly {speed} tokens/s.</source>
        <translation>{model} ({quant}, {size}) {tokens} belirteçte CPU ile RAM&apos;e sığar; yaklaşık {memory} kullanır ve saniyede yaklaşık {speed} belirteç üretir.</translation>
    </message>
    <message>
        <source>{model} ({quant}, {size}) fits entirely on the GPU at {tokens} tokens, using about {memory}.</source>
        <translation>{model} ({quant}, {size}) {tokens} belirteçte tamamen GPU&apos;ya sığar ve yaklaşık {memory} kullanır.</translation>
    </message>
    <message>
        <source>{model} ({quant}, {size}) fits in RAM on the CPU at {tokens} tokens, using about {memory}.</source>
        <translation>{model} ({quant}, {size}) {tokens} belirteçte CPU ile RAM&apos;e sığar ve yaklaşık {memory} kullanır.</translation>
    </message>
    <message>
        <source>What can I run well:</source>
        <translation>Neyi iyi çalıştırabilirim:</translation>
    </message>
</context>
<context>
    <name>HardwareWorker</name>
    <message>
        <source>Hardware detection failed: {error}</source>
        <translation>Donanım algılanamadı: {error}</translation>
    </message>
    <message>
        <source>Could not read: {error}</source>
        <translation>Okunamadı: {error}</translation>
    </message>
    <message>
        <source>Not a usable GGUF model: {error}</source>
        <translation>Kullanılabilir bir GGUF modeli değil: {error}</translation>
    </message>
</context>
<context>
    <name>HubErrors</name>
    <message>
        <source>{what}: the Hub refused access (HTTP {status}). This repository is gated or private: accept its terms on the Hub and add your Hugging Face token.</source>
        <translation>{what}: Hub erişimi reddetti (HTTP {status}). Bu deponun erişimi kısıtlı ya da depo özel: Hub&apos;da koşullarını kabul edin ve Hugging Face belirtecinizi ekleyin.</translation>
    </message>
    <message>
        <source>{what}: not found on the Hub (HTTP 404). Check the repository and file names; the file may have been removed.</source>
        <translation>{what}: Hub&apos;da bulunamadı (HTTP 404). Depo ve dosya adlarını denetleyin; dosya kaldırılmış olabilir.</translation>
    </message>
    <message>
        <source>{what}: the server refused the byte range (HTTP 416).</source>
        <translation>{what}: sunucu bayt aralığını reddetti (HTTP 416).</translation>
    </message>
    <message>
        <source>{what}: the Hub is rate-limiting requests (HTTP 429). Try again in a minute.</source>
        <translation>{what}: Hub istekleri sınırlıyor (HTTP 429). Bir dakika sonra yeniden deneyin.</translation>
    </message>
    <message>
        <source>{what}: the Hub had a server error (HTTP {status}). Try again later.</source>
        <translation>{what}: Hub&apos;da bir sunucu hatası oluştu (HTTP {status}). Daha sonra yeniden deneyin.</translation>
    </message>
    <message>
        <source>{what}: the Hub answered HTTP {status}.</source>
        <translation>{what}: Hub HTTP {status} yanıtı verdi.</translation>
    </message>
    <message>
        <source>{what}: {error}</source>
        <translation>{what}: {error}</translation>
    </message>
    <message>
        <source>{what}: the connection timed out. Check your connection and try again.</source>
        <translation>{what}: bağlantı zaman aşımına uğradı. Bağlantınızı denetleyip yeniden deneyin.</translation>
    </message>
    <message>
        <source>{what}: the connection failed ({type}: {error}). Check your connection and try again.</source>
        <translation>{what}: bağlantı kurulamadı ({type}: {error}). Bağlantınızı denetleyip yeniden deneyin.</translation>
    </message>
    <message>
        <source>{what}: the disk is full. The partial download was kept; free some space and resume.</source>
        <translation>{what}: disk dolu. İndirilen kısım saklandı; biraz yer açıp indirmeyi sürdürün.</translation>
    </message>
    <message>
        <source>{what}: the Hub sent an answer Hearth could not understand ({error}).</source>
        <translation>{what}: Hub&apos;dan Hearth tarafından anlaşılamayan bir yanıt geldi ({error}).</translation>
    </message>
    <message>
        <source>{what}: {type}: {error}</source>
        <translation>{what}: {type}: {error}</translation>
    </message>
</context>
<context>
    <name>HubNames</name>
    <message>
        <source>{repo!r} is not a valid repository name (expected owner/name).</source>
        <translation>{repo!r} geçerli bir depo adı değil (beklenen biçim: sahip/ad).</translation>
    </message>
    <message>
        <source>empty or overlong file name</source>
        <translation>boş ya da çok uzun dosya adı</translation>
    </message>
    <message>
        <source>file name {name!r} contains control characters</source>
        <translation>{name!r} dosya adı denetim karakterleri içeriyor</translation>
    </message>
    <message>
        <source>file name {name!r} is an absolute path</source>
        <translation>{name!r} dosya adı mutlak bir yol</translation>
    </message>
    <message>
        <source>file name {name!r} is not a plain relative path</source>
        <translation>{name!r} dosya adı düz bir göreli yol değil</translation>
    </message>
</context>
<context>
    <name>HubRepos</name>
    <message>
        <source>Searching the Hub</source>
        <translation>Hub&apos;da arama</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Arama</translation>
    </message>
    <message>
        <source>{stem}.gguf (%n parts)</source>
        <translation>{stem}.gguf (%n parça)</translation>
    </message>
    <message>
        <source>{stem}.gguf (%n parts, some missing)</source>
        <translation>{stem}.gguf (%n parça, bazıları eksik)</translation>
    </message>
    <message>
        <source>Opening a repository</source>
        <translation>Depo açma</translation>
    </message>
    <message>
        <source>Opening {repo}</source>
        <translation>{repo} deposunu açma</translation>
    </message>
    <message>
        <source>Reading the model card</source>
        <translation>Model kartını okuma</translation>
    </message>
</context>
<context>
    <name>HubToken</name>
    <message>
        <source>The token is empty.</source>
        <translation>Belirteç boş.</translation>
    </message>
    <message>
        <source>That does not look like a Hugging Face token (it has spaces or is far too long).</source>
        <translation>Bu bir Hugging Face belirtecine benzemiyor (boşluk içeriyor ya da çok uzun).</translation>
    </message>
    <message>
        <source>Your Hugging Face token is stored in the system keyring ({name}).</source>
        <translation>Hugging Face belirteciniz sistem anahtar zincirinde ({name}) saklanıyor.</translation>
    </message>
    <message>
        <source>No system keyring is available, so your Hugging Face token is stored in {path} (readable only by your user account).</source>
        <translation>Kullanılabilir bir sistem anahtar zinciri yok, bu yüzden Hugging Face belirteciniz şu dosyada saklanıyor: {path} (yalnızca kullanıcı hesabınız okuyabilir).</translation>
    </message>
</context>
<context>
    <name>IndexJob</name>
    <message>
        <source>The embedding model of {name} ({model}) is not on this computer any more: put it back in the library, or make a new collection.</source>
        <translation>{name} koleksiyonunun gömme modeli ({model}) artık bu bilgisayarda yok: onu kitaplığa geri koyun ya da yeni bir koleksiyon oluşturun.</translation>
    </message>
</context>
<context>
    <name>Library</name>
    <message>
        <source>Imported %n model(s); they are used where they are, nothing was copied.</source>
        <translation>%n model içe aktarıldı; bulundukları yerden kullanılır, hiçbir şey kopyalanmadı.</translation>
    </message>
    <message>
        <source>Not imported:</source>
        <translation>İçe aktarılmadı:</translation>
    </message>
    <message>
        <source>{verdict} with its projector</source>
        <translation>{verdict}, projektörüyle</translation>
    </message>
    <message>
        <source>unknown ({error})</source>
        <translation>bilinmiyor ({error})</translation>
    </message>
</context>
<context>
    <name>LibraryCompanions</name>
    <message>
        <source>it could not be read: {error}</source>
        <translation>okunamadı: {error}</translation>
    </message>
    <message>
        <source>it is not a usable GGUF file: {error}</source>
        <translation>kullanılabilir bir GGUF dosyası değil: {error}</translation>
    </message>
    <message>
        <source>{file} cannot be used as a vision projector: {problem}.</source>
        <translation>{file} görüntü projektörü olarak kullanılamaz: {problem}.</translation>
    </message>
    <message>
        <source>The model&apos;s header could not be read, so {file} cannot be checked against it.</source>
        <translation>Modelin başlığı okunamadı, bu yüzden {file} bu modele göre denetlenemiyor.</translation>
    </message>
    <message>
        <source>{file} does not say how wide its output is, so it cannot be checked against this model.</source>
        <translation>{file} çıktısının genişliğini belirtmiyor, bu yüzden bu modele göre denetlenemiyor.</translation>
    </message>
    <message>
        <source>{file} does not fit this model: it makes embeddings {width} wide, and this model&apos;s are {n_embd} (it was made for another model).</source>
        <translation>{file} bu modele uymuyor: ürettiği gömmelerin genişliği {width}, bu modelinkiler ise {n_embd} (başka bir model için yapılmış).</translation>
    </message>
    <message>
        <source>It is not a usable LoRA adapter: {error}</source>
        <translation>Kullanılabilir bir LoRA bağdaştırıcısı değil: {error}</translation>
    </message>
    <message>
        <source>{problem} (checked against {model}).</source>
        <translation>{problem} ({model} ile denetlendi).</translation>
    </message>
    <message>
        <source>It was made for {arch} models ({base}); the library has no {arch} model.</source>
        <translation>{arch} modelleri için yapılmış ({base}); kitaplıkta hiç {arch} modeli yok.</translation>
    </message>
    <message>
        <source>It was made for {arch} models; the library has no {arch} model.</source>
        <translation>{arch} modelleri için yapılmış; kitaplıkta hiç {arch} modeli yok.</translation>
    </message>
</context>
<context>
    <name>LibraryLocal</name>
    <message>
        <source>header reader unavailable: {error}</source>
        <translation>başlık okuyucu kullanılamıyor: {error}</translation>
    </message>
    <message>
        <source>{path} is not a file.</source>
        <translation>{path} bir dosya değil.</translation>
    </message>
    <message>
        <source>{file} is not a GGUF model file.</source>
        <translation>{file} bir GGUF model dosyası değil.</translation>
    </message>
    <message>
        <source>{file} uses an unsupported GGUF version.</source>
        <translation>{file} desteklenmeyen bir GGUF sürümü kullanıyor.</translation>
    </message>
    <message>
        <source>{file} is not a usable GGUF model: {error}</source>
        <translation>{file} kullanılabilir bir GGUF modeli değil: {error}</translation>
    </message>
    <message>
        <source>{folder} holds no GGUF model.</source>
        <translation>{folder} klasöründe hiç GGUF modeli yok.</translation>
    </message>
    <message>
        <source>{name} was removed from the library; the file itself was left where it is.</source>
        <translation>{name} kitaplıktan kaldırıldı; dosyanın kendisi olduğu yerde bırakıldı.</translation>
    </message>
    <message>
        <source>Deleted {name} ({size} freed).</source>
        <translation>{name} silindi ({size} yer açıldı).</translation>
    </message>
</context>
<context>
    <name>LibraryModel</name>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>Mimari</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parametre</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Nicemleme</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Boyut</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Bağlam</translation>
    </message>
    <message>
        <source>Chat template</source>
        <translation>Sohbet şablonu</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Uygunluk</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Kaynak</translation>
    </message>
    <message>
        <source>Adapters</source>
        <translation>Bağdaştırıcılar</translation>
    </message>
</context>
<context>
    <name>LibraryRow</name>
    <message>
        <source>Imported</source>
        <translation>İçe aktarılan</translation>
    </message>
    <message>
        <source>Hugging Face cache</source>
        <translation>Hugging Face önbelleği</translation>
    </message>
    <message>
        <source>unreadable</source>
        <translation>okunamıyor</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>evet</translation>
    </message>
    <message>
        <source>no</source>
        <translation>hayır</translation>
    </message>
    <message>
        <source>%n adapter(s)</source>
        <translation>%n bağdaştırıcı</translation>
    </message>
    <message>
        <source>vision</source>
        <translation>görsel</translation>
    </message>
    <message>
        <source>• Adapter {name}: alpha {alpha}, rank {rank}, {size}</source>
        <translation>• Bağdaştırıcı {name}: alpha {alpha}, rank {rank}, {size}</translation>
    </message>
    <message>
        <source>• Vision: {file}</source>
        <translation>• Görüntü projektörü: {file}</translation>
    </message>
</context>
<context>
    <name>LibraryTab</name>
    <message>
        <source>Library</source>
        <translation>Kitaplık</translation>
    </message>
    <message>
        <source>Models found in other apps</source>
        <translation>Başka uygulamalarda bulunan modeller</translation>
    </message>
    <message>
        <source>Model metadata</source>
        <translation>Model üst verileri</translation>
    </message>
    <message>
        <source>Select a model and press Details to see its full metadata.</source>
        <translation>Tüm üst verilerini görmek için bir model seçip Ayrıntılar&apos;a basın.</translation>
    </message>
    <message>
        <source>Adapters and vision projector of the selected model</source>
        <translation>Seçili modelin bağdaştırıcıları ve görüntü projektörü</translation>
    </message>
    <message>
        <source>Adapters that fit no model</source>
        <translation>Hiçbir modele uymayan bağdaştırıcılar</translation>
    </message>
    <message>
        <source>Chat with this model</source>
        <translation>Bu modelle sohbet et</translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation>Dosya içe aktar…</translation>
    </message>
    <message>
        <source>Import file</source>
        <translation>Dosya içe aktar</translation>
    </message>
    <message>
        <source>Import folder…</source>
        <translation>Klasör içe aktar…</translation>
    </message>
    <message>
        <source>Import folder</source>
        <translation>Klasör içe aktar</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Sil…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Sil</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>Klasörde göster</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Ayrıntılar</translation>
    </message>
    <message>
        <source>Add to library (use in place)</source>
        <translation>Kitaplığa ekle (yerinde kullan)</translation>
    </message>
    <message>
        <source>Add found model to library</source>
        <translation>Bulunan modeli kitaplığa ekle</translation>
    </message>
    <message>
        <source>Models you already have in other apps (Hugging Face cache, LM Studio, Ollama):</source>
        <translation>Başka uygulamalarda zaten olan modelleriniz (Hugging Face önbelleği, LM Studio, Ollama):</translation>
    </message>
    <message>
        <source>%n LoRA adapter(s)</source>
        <translation>%n LoRA bağdaştırıcısı</translation>
    </message>
    <message>
        <source>%n model(s), {size} · {adapters} · drop GGUF files here to import them · models folder: {folder}</source>
        <translation>%n model, {size} · {adapters} · içe aktarmak için GGUF dosyalarını buraya bırakın · model klasörü: {folder}</translation>
    </message>
    <message>
        <source>%n model(s), {size} · drop GGUF files here to import them · models folder: {folder}</source>
        <translation>%n model, {size} · içe aktarmak için GGUF dosyalarını buraya bırakın · model klasörü: {folder}</translation>
    </message>
    <message>
        <source>LoRA adapters that fit no model here:</source>
        <translation>Buradaki hiçbir modele uymayan LoRA bağdaştırıcıları:</translation>
    </message>
    <message>
        <source>• {file} (alpha {alpha}, {size}): {problem}</source>
        <translation>• {file} (alpha {alpha}, {size}): {problem}</translation>
    </message>
    <message>
        <source>With {name}:</source>
        <translation>{name} ile:</translation>
    </message>
    <message>
        <source>Import GGUF models</source>
        <translation>GGUF modellerini içe aktar</translation>
    </message>
    <message>
        <source>GGUF models</source>
        <translation>GGUF modelleri</translation>
    </message>
    <message>
        <source>Import every GGUF model in a folder</source>
        <translation>Bir klasördeki tüm GGUF modellerini içe aktar</translation>
    </message>
    <message>
        <source>Delete {name}? This removes the file and frees {size}.</source>
        <translation>{name} silinsin mi? Bu işlem dosyayı kaldırır ve {size} yer açar.</translation>
    </message>
    <message>
        <source>Remove {name} from the library? The file stays where it is ({path}).</source>
        <translation>{name} kitaplıktan kaldırılsın mı? Dosya olduğu yerde kalır ({path}).</translation>
    </message>
    <message>
        <source>Delete model</source>
        <translation>Modeli sil</translation>
    </message>
    <message>
        <source>File: {path}</source>
        <translation>Dosya: {path}</translation>
    </message>
    <message>
        <source>Size: {size} ({n} bytes)</source>
        <translation>Boyut: {size} ({n} bayt)</translation>
    </message>
    <message>
        <source>The header could not be read: {error}</source>
        <translation>Dosya başlığı okunamadı: {error}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>No model loaded</source>
        <translation>Yüklü model yok</translation>
    </message>
    <message>
        <source>Loaded model</source>
        <translation>Yüklü model</translation>
    </message>
    <message>
        <source>Memory in use</source>
        <translation>Kullanılan bellek</translation>
    </message>
    <message>
        <source>Offline mode</source>
        <translation>Çevrimdışı mod</translation>
    </message>
    <message>
        <source>When on, Hearth opens no network connection at all.</source>
        <translation>Açıkken Hearth hiçbir ağ bağlantısı açmaz.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Dil</translation>
    </message>
    <message>
        <source>The language of Hearth&apos;s window</source>
        <translation>Hearth penceresinin dili</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Sistem varsayılanı</translation>
    </message>
    <message>
        <source>API server</source>
        <translation>API sunucusu</translation>
    </message>
    <message>
        <source>Loading {model}…</source>
        <translation>{model} yükleniyor…</translation>
    </message>
    <message>
        <source>Model: {model} · context {tokens} tokens</source>
        <translation>Model: {model} · bağlam {tokens} belirteç</translation>
    </message>
    <message>
        <source>Model: {model}</source>
        <translation>Model: {model}</translation>
    </message>
    <message>
        <source>API on :{port} · answering {client}</source>
        <translation>API açık :{port} · yanıtlanan: {client}</translation>
    </message>
    <message>
        <source>API on :{port}</source>
        <translation>API açık :{port}</translation>
    </message>
    <message>
        <source>RAM: Hearth {used} · {free} free</source>
        <translation>RAM: Hearth {used} · {free} boş</translation>
    </message>
    <message>
        <source>RAM: unknown</source>
        <translation>RAM: bilinmiyor</translation>
    </message>
</context>
<context>
    <name>Markdown</name>
    <message>
        <source>code</source>
        <translation>kod</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopyala</translation>
    </message>
    <message>
        <source>image</source>
        <translation>görsel</translation>
    </message>
    <message>
        <source>[image: {alt} — not loaded]</source>
        <translation>[görsel: {alt} — yüklenmedi]</translation>
    </message>
</context>
<context>
    <name>MessageCursor</name>
    <message>
        <source>Message actions</source>
        <translation>Mesaj eylemleri</translation>
    </message>
</context>
<context>
    <name>MessageListModel</name>
    <message>
        <source>%n image(s) attached</source>
        <translation>%n görsel ekli</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Siz</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Asistan</translation>
    </message>
</context>
<context>
    <name>MessagePainter</name>
    <message>
        <source>end of text</source>
        <translation>metin sonu</translation>
    </message>
    <message>
        <source>length limit</source>
        <translation>uzunluk sınırı</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>durduruldu</translation>
    </message>
    <message>
        <source>context full</source>
        <translation>bağlam dolu</translation>
    </message>
    <message>
        <source>error</source>
        <translation>hata</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>yarıda kaldı</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopyala</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Düzenle</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Yeniden oluştur</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Sil</translation>
    </message>
    <message>
        <source>Previous version</source>
        <translation>Önceki sürüm</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>Sonraki sürüm</translation>
    </message>
    <message>
        <source>Show or hide thoughts</source>
        <translation>Düşünceleri göster veya gizle</translation>
    </message>
    <message>
        <source>Source {n}: {source}</source>
        <translation>Kaynak {n}: {source}</translation>
    </message>
    <message>
        <source>Show the passages from your documents</source>
        <translation>Belgelerinizdeki pasajları göster</translation>
    </message>
    <message>
        <source>{file}, page {page}</source>
        <translation>{file}, sayfa {page}</translation>
    </message>
    <message>
        <source>[image {n} cannot be shown]</source>
        <translation>[{n}. görsel gösterilemiyor]</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Siz</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Asistan</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Sistem</translation>
    </message>
    <message>
        <source>interrupted — the engine crashed during this reply</source>
        <translation>yarıda kaldı — bu yanıt sırasında motor çöktü</translation>
    </message>
    <message>
        <source>interrupted — the app closed during this reply</source>
        <translation>yarıda kaldı — bu yanıt sırasında uygulama kapandı</translation>
    </message>
    <message>
        <source>writing…</source>
        <translation>yazıyor…</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>Düşünüyor…</translation>
    </message>
    <message>
        <source>Thoughts ({count} words)</source>
        <translation>Düşünceler ({count} sözcük)</translation>
    </message>
    <message>
        <source>{seconds} s to first token</source>
        <translation>ilk belirtece {seconds} sn</translation>
    </message>
    <message>
        <source>{rate} tok/s</source>
        <translation>{rate} belirteç/sn</translation>
    </message>
    <message>
        <source>{count} tokens</source>
        <translation>{count} belirteç</translation>
    </message>
    <message>
        <source>Matches by wording: {sources}</source>
        <translation>Metin eşleşmesi: {sources}</translation>
    </message>
    <message>
        <source>Sources: {sources}</source>
        <translation>Kaynaklar: {sources}</translation>
    </message>
    <message>
        <source>No passage cited</source>
        <translation>Atıf yapılan pasaj yok</translation>
    </message>
    <message>
        <source>all {count} passages from your documents</source>
        <translation>belgelerinizdeki {count} pasajın tümü</translation>
    </message>
</context>
<context>
    <name>ModelCard</name>
    <message>
        <source>licence</source>
        <translation>lisans</translation>
    </message>
    <message>
        <source>base model</source>
        <translation>temel model</translation>
    </message>
    <message>
        <source>task</source>
        <translation>görev</translation>
    </message>
    <message>
        <source>language</source>
        <translation>dil</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <source>Models</source>
        <translation>Modeller</translation>
    </message>
    <message>
        <source>Offline mode</source>
        <translation>Çevrimdışı mod</translation>
    </message>
    <message>
        <source>When on, Hearth opens no network connection at all.</source>
        <translation>Açıkken Hearth hiçbir ağ bağlantısı açmaz.</translation>
    </message>
    <message>
        <source>Hub endpoint</source>
        <translation>Hub uç noktası</translation>
    </message>
    <message>
        <source>A Hugging Face mirror. The HF_ENDPOINT environment variable, when set, wins.</source>
        <translation>Bir Hugging Face yansısı. HF_ENDPOINT ortam değişkeni ayarlıysa o geçerli olur.</translation>
    </message>
    <message>
        <source>Hugging Face token…</source>
        <translation>Hugging Face belirteci…</translation>
    </message>
    <message>
        <source>Hugging Face token</source>
        <translation>Hugging Face belirteci</translation>
    </message>
    <message>
        <source>Add a Hugging Face token for gated repositories.</source>
        <translation>Erişimi kısıtlı depolar için bir Hugging Face belirteci ekleyin.</translation>
    </message>
    <message>
        <source>Hub:</source>
        <translation>Hub:</translation>
    </message>
    <message>
        <source>Models sections</source>
        <translation>Model bölümleri</translation>
    </message>
    <message>
        <source>Discover</source>
        <translation>Keşfet</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>İndirmeler</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Kitaplık</translation>
    </message>
    <message>
        <source>Backends</source>
        <translation>Arka uçlar</translation>
    </message>
    <message>
        <source>Models page sections</source>
        <translation>Modeller sayfasının bölümleri</translation>
    </message>
    <message>
        <source>{why}

Paste a read token from your Hugging Face account settings:</source>
        <translation>{why}

Hugging Face hesap ayarlarınızdan bir okuma belirteci yapıştırın:</translation>
    </message>
    <message>
        <source>The Hub endpoint must start with https:// (or http:// for a local mirror).</source>
        <translation>Hub uç noktası https:// ile başlamalıdır (yerel bir yansı için http://).</translation>
    </message>
    <message>
        <source>Offline mode is on: downloading needs a connection.</source>
        <translation>Çevrimdışı mod açık: indirmek için bağlantı gerekir.</translation>
    </message>
    <message>
        <source>Refused: {error}</source>
        <translation>Reddedildi: {error}</translation>
    </message>
    <message>
        <source>Offline mode is on: downloading the starter model needs a connection.</source>
        <translation>Çevrimdışı mod açık: başlangıç modelini indirmek için bağlantı gerekir.</translation>
    </message>
    <message>
        <source>Not enough disk space</source>
        <translation>Yeterli disk alanı yok</translation>
    </message>
    <message>
        <source>Large download</source>
        <translation>Büyük indirme</translation>
    </message>
    <message>
        <source>{repo} is gated: the Hub wants a token (HTTP 401).</source>
        <translation>{repo} erişimi kısıtlı bir depo: Hub bir belirteç istiyor (HTTP 401).</translation>
    </message>
    <message>
        <source>{message} The {size} downloaded so far will be discarded.

Download {file} from the repository&apos;s current version instead?</source>
        <translation>{message} Şimdiye kadar indirilen {size} silinecek.

Bunun yerine {file} deponun güncel sürümünden indirilsin mi?</translation>
    </message>
    <message>
        <source>{message}

Download {file} from the repository&apos;s current version instead?</source>
        <translation>{message}

Bunun yerine {file} deponun güncel sürümünden indirilsin mi?</translation>
    </message>
    <message>
        <source>Download from the current version?</source>
        <translation>Güncel sürümden indirilsin mi?</translation>
    </message>
</context>
<context>
    <name>NavBar</name>
    <message>
        <source>Chat</source>
        <translation>Sohbet</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modeller</translation>
    </message>
    <message>
        <source>Hardware</source>
        <translation>Donanım</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Ağ</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Belgeler</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Hakkında</translation>
    </message>
    <message>
        <source>About Hearth</source>
        <translation>Hearth hakkında</translation>
    </message>
    <message>
        <source>Version, llama.cpp backend, where your data lives</source>
        <translation>Sürüm, llama.cpp arka ucu, verilerinizin bulunduğu yer</translation>
    </message>
    <message>
        <source>{page} (Ctrl+{number})</source>
        <translation>{page} (Ctrl+{number})</translation>
    </message>
</context>
<context>
    <name>NetClient</name>
    <message>
        <source>{what} needs a network connection, and Offline mode is on. Turn Offline mode off to use it.</source>
        <translation>{what}: ağ bağlantısı gerekiyor, ancak Çevrimdışı mod açık. Kullanmak için Çevrimdışı modu kapatın.</translation>
    </message>
</context>
<context>
    <name>NetPolicy</name>
    <message>
        <source>Hearth only connects to backends you added; {host}:{port} is not one of them.</source>
        <translation>Hearth yalnızca sizin eklediğiniz arka uçlara bağlanır; {host}:{port} bunlardan biri değil.</translation>
    </message>
    <message>
        <source>Offline mode is on: Hearth did not connect to {host} (a backend on the internet). Turn Offline mode off to use it.</source>
        <translation>Çevrimdışı mod açık: Hearth, internetteki bir arka uca ({host}) bağlanmadı. Kullanmak için Çevrimdışı modu kapatın.</translation>
    </message>
</context>
<context>
    <name>NetTransport</name>
    <message>
        <source>Offline mode is on: Hearth did not connect to {host}.</source>
        <translation>Çevrimdışı mod açık: Hearth, {host} adresine bağlanmadı.</translation>
    </message>
    <message>
        <source>Hearth only connects to the configured Hub endpoint ({endpoint}); it refused a request to {host}.</source>
        <translation>Hearth yalnızca ayarlanmış Hub uç noktasına ({endpoint}) bağlanır; {host} adresine giden bir isteği reddetti.</translation>
    </message>
</context>
<context>
    <name>NetworkLogModel</name>
    <message>
        <source>Time</source>
        <translation>Zaman</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Yön</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Yöntem</translation>
    </message>
    <message>
        <source>Host or client</source>
        <translation>Sunucu veya istemci</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Yol</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Durum</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Alınan</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gönderilen</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>Amaç</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>başarısız</translation>
    </message>
    <message>
        <source>in (API)</source>
        <translation>gelen (API)</translation>
    </message>
    <message>
        <source>out</source>
        <translation>giden</translation>
    </message>
    <message>
        <source>%Ln token(s)</source>
        <translation>%Ln belirteç</translation>
    </message>
</context>
<context>
    <name>NetworkPage</name>
    <message>
        <source>Network</source>
        <translation>Ağ</translation>
    </message>
    <message>
        <source>Offline mode: open no network connection at all</source>
        <translation>Çevrimdışı mod: hiçbir ağ bağlantısı açma</translation>
    </message>
    <message>
        <source>Offline mode</source>
        <translation>Çevrimdışı mod</translation>
    </message>
    <message>
        <source>Network requests</source>
        <translation>Ağ istekleri</translation>
    </message>
    <message>
        <source>Clear log</source>
        <translation>Günlüğü temizle</translation>
    </message>
    <message>
        <source>Clear network log</source>
        <translation>Ağ günlüğünü temizle</translation>
    </message>
    <message>
        <source>Offline mode is on: Hearth opens no network connection.</source>
        <translation>Çevrimdışı mod açık: Hearth hiçbir ağ bağlantısı açmıyor.</translation>
    </message>
    <message>
        <source>Hearth connects only to the Hub ({endpoint}), and only when you search, open a repository or download. No telemetry, no update checks, nothing loaded from the web.</source>
        <translation>Hearth yalnızca Hub&apos;a ({endpoint}) bağlanır; bunu da yalnızca siz arama yaptığınızda, bir depo açtığınızda ya da bir şey indirdiğinizde yapar. Telemetri yok, güncelleme denetimi yok, web&apos;den hiçbir şey yüklenmez.</translation>
    </message>
    <message>
        <source>Every request it made is listed here, newest first, with every request other apps made to its local API server (direction &quot;in&quot;), which answers on this computer even in Offline mode.</source>
        <translation>Yaptığı her istek, diğer uygulamaların yerel API sunucusuna yaptığı isteklerle (yön &quot;gelen&quot;) birlikte, en yenisi başta olmak üzere burada listelenir; bu sunucu Çevrimdışı modda bile bu bilgisayarda yanıt verir.</translation>
    </message>
    <message>
        <source>%Ln request(s), {size} received</source>
        <translation>%Ln istek, {size} alındı</translation>
    </message>
</context>
<context>
    <name>NetworkPurpose</name>
    <message>
        <source>search</source>
        <translation>arama</translation>
    </message>
    <message>
        <source>repository</source>
        <translation>depo</translation>
    </message>
    <message>
        <source>file metadata</source>
        <translation>dosya bilgisi</translation>
    </message>
    <message>
        <source>header read</source>
        <translation>başlık okuma</translation>
    </message>
    <message>
        <source>download</source>
        <translation>indirme</translation>
    </message>
    <message>
        <source>model card</source>
        <translation>model kartı</translation>
    </message>
    <message>
        <source>api</source>
        <translation>API</translation>
    </message>
    <message>
        <source>remote chat</source>
        <translation>uzak sohbet</translation>
    </message>
    <message>
        <source>token count</source>
        <translation>belirteç sayımı</translation>
    </message>
    <message>
        <source>backend check</source>
        <translation>arka uç denetimi</translation>
    </message>
    <message>
        <source>other</source>
        <translation>diğer</translation>
    </message>
</context>
<context>
    <name>NewCollectionDialog</name>
    <message>
        <source>The embedding model turns each passage of your documents into numbers, so that Hearth can find the passages that answer a question by their meaning. The collection keeps this model: changing it later means indexing every document again. Any model works; a small one indexes fastest.</source>
        <translation>Gömme modeli, belgelerinizin her pasajını sayılara dönüştürür; böylece Hearth bir soruyu yanıtlayan pasajları anlamlarına göre bulabilir. Koleksiyon bu modeli korur: daha sonra değiştirmek, her belgeyi yeniden dizinlemek demektir. Her model olur; küçük bir model en hızlı dizinler.</translation>
    </message>
    <message>
        <source>Your library has no model yet: download the starter model on the Models page first.</source>
        <translation>Kitaplığınızda henüz model yok: önce Modeller sayfasından başlangıç modelini indirin.</translation>
    </message>
    <message>
        <source>New collection</source>
        <translation>Yeni koleksiyon</translation>
    </message>
    <message>
        <source>Collection name</source>
        <translation>Koleksiyon adı</translation>
    </message>
    <message>
        <source>e.g. Manuals, Tax papers, Thesis notes</source>
        <translation>ör. Kılavuzlar, Vergi belgeleri, Tez notları</translation>
    </message>
    <message>
        <source>Embedding model</source>
        <translation>Gömme modeli</translation>
    </message>
    <message>
        <source>Embedding models</source>
        <translation>Gömme modelleri</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Oluştur</translation>
    </message>
    <message>
        <source>Create collection</source>
        <translation>Koleksiyon oluştur</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Vazgeç</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Ad:</translation>
    </message>
    <message>
        <source>Embedding model:</source>
        <translation>Gömme modeli:</translation>
    </message>
    <message>
        <source>There is already a collection called {name}.</source>
        <translation>{name} adında bir koleksiyon zaten var.</translation>
    </message>
</context>
<context>
    <name>PassageDialog</name>
    <message>
        <source>Passages from your documents</source>
        <translation>Belgelerinizden pasajlar</translation>
    </message>
    <message>
        <source>Passages</source>
        <translation>Pasajlar</translation>
    </message>
    <message>
        <source>[{n}] {name}, page {page}</source>
        <translation>[{n}] {name}, sayfa {page}</translation>
    </message>
    <message>
        <source>{passage} (cited)</source>
        <translation>{passage} (alıntılandı)</translation>
    </message>
    <message>
        <source>Passage text</source>
        <translation>Pasaj metni</translation>
    </message>
    <message>
        <source>Open the file</source>
        <translation>Dosyayı aç</translation>
    </message>
    <message>
        <source>Opens the document in the app your system uses for it (on this computer).</source>
        <translation>Belgeyi sisteminizin onun için kullandığı uygulamada açar (bu bilgisayarda).</translation>
    </message>
    <message>
        <source>page {page}</source>
        <translation>sayfa {page}</translation>
    </message>
</context>
<context>
    <name>QuantModel</name>
    <message>
        <source>File</source>
        <translation>Dosya</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Nicemleme</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Boyut</translation>
    </message>
    <message>
        <source>Bits/weight</source>
        <translation>Bit/ağırlık</translation>
    </message>
    <message>
        <source>Fit on this computer</source>
        <translation>Bu bilgisayara uygunluk</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>denetleniyor…</translation>
    </message>
    <message>
        <source>{file} (vision projector)</source>
        <translation>{file} (görüntü projektörü)</translation>
    </message>
    <message>
        <source>★ best fit · {verdict}</source>
        <translation>★ en uygun · {verdict}</translation>
    </message>
    <message>
        <source>Already downloaded: {path}</source>
        <translation>Zaten indirilmiş: {path}</translation>
    </message>
    <message>
        <source>already downloaded</source>
        <translation>zaten indirilmiş</translation>
    </message>
</context>
<context>
    <name>RecoveryBar</name>
    <message>
        <source>Export what can be read…</source>
        <translation>Okunabilenleri dışa aktar…</translation>
    </message>
    <message>
        <source>Start a fresh database (the damaged file is kept aside)</source>
        <translation>Yeni bir veritabanı başlat (hasarlı dosya kenara ayrılır)</translation>
    </message>
    <message>
        <source>Hearth opened it read-only: you can read your conversations, but new messages cannot be saved until you start a fresh database.</source>
        <translation>Hearth onu salt okunur açtı: konuşmalarınızı okuyabilirsiniz, ancak yeni bir veritabanı başlatana kadar yeni mesajlar kaydedilemez.</translation>
    </message>
    <message>
        <source>Hearth could not read any conversations from it, so the chat list is empty for now.</source>
        <translation>Hearth ondan hiçbir konuşmayı okuyamadı, bu yüzden sohbet listesi şimdilik boş.</translation>
    </message>
    <message>
        <source>Your chats database could not be opened normally: {problem}

{what} Nothing has been deleted: the file is still at {path}. You can export what can be read, or start a fresh database (the damaged file is kept aside and every conversation that can be read is copied into the new one).</source>
        <translation>Sohbet veritabanınız normal şekilde açılamadı: {problem}

{what} Hiçbir şey silinmedi: dosya hâlâ {path} konumunda. Okunabilenleri dışa aktarabilir ya da yeni bir veritabanı başlatabilirsiniz (hasarlı dosya kenara ayrılır ve okunabilen her konuşma yenisine kopyalanır).</translation>
    </message>
    <message>
        <source>Chats database problem</source>
        <translation>Sohbet veritabanı sorunu</translation>
    </message>
    <message>
        <source>Export what can be read</source>
        <translation>Okunabilenleri dışa aktar</translation>
    </message>
    <message>
        <source>Write every conversation that can still be read to a JSON file.</source>
        <translation>Hâlâ okunabilen her konuşmayı bir JSON dosyasına yaz.</translation>
    </message>
    <message>
        <source>Start a fresh database</source>
        <translation>Yeni bir veritabanı başlat</translation>
    </message>
    <message>
        <source>Rename the damaged file (it is kept), create a new database and copy into it every conversation that can be read.</source>
        <translation>Hasarlı dosyayı yeniden adlandır (saklanır), yeni bir veritabanı oluştur ve okunabilen her konuşmayı ona kopyala.</translation>
    </message>
    <message>
        <source>Recovery status</source>
        <translation>Kurtarma durumu</translation>
    </message>
    <message>
        <source>Reading what can be read…</source>
        <translation>Okunabilenler okunuyor…</translation>
    </message>
    <message>
        <source>Start a fresh chats database</source>
        <translation>Yeni bir sohbet veritabanı başlat</translation>
    </message>
    <message>
        <source>Start a fresh chats database?

The damaged file is renamed and kept next to it ({name}.damaged-&lt;time&gt;); every conversation that can still be read is copied into the new database.</source>
        <translation>Yeni bir sohbet veritabanı başlatılsın mı?

Hasarlı dosya yeniden adlandırılıp yanında saklanır ({name}.damaged-&lt;time&gt;); hâlâ okunabilen her konuşma yeni veritabanına kopyalanır.</translation>
    </message>
    <message>
        <source>Could not export: {error}</source>
        <translation>Dışa aktarılamadı: {error}</translation>
    </message>
    <message>
        <source>Could not read the damaged database: {error}</source>
        <translation>Hasarlı veritabanı okunamadı: {error}</translation>
    </message>
    <message>
        <source>{count} conversation(s)</source>
        <translation>{count} konuşma</translation>
    </message>
    <message>
        <source>{count} message(s)</source>
        <translation>{count} mesaj</translation>
    </message>
    <message>
        <source>Exported {conversations} with {messages} to {dest}. Import it from the conversation list&apos;s menu at any time.</source>
        <translation>{messages} içeren {conversations} {dest} konumuna dışa aktarıldı. İstediğiniz zaman konuşma listesinin menüsünden içe aktarabilirsiniz.</translation>
    </message>
    <message>
        <source>Could not start a fresh database: {error}</source>
        <translation>Yeni bir veritabanı başlatılamadı: {error}</translation>
    </message>
    <message>
        <source>A fresh chats database was started with the {count} conversation(s) that could be read. The damaged file was kept as {aside}.</source>
        <translation>Okunabilen {count} konuşmayla yeni bir sohbet veritabanı başlatıldı. Hasarlı dosya {aside} olarak saklandı.</translation>
    </message>
    <message>
        <source>Some could not be copied: {problems}</source>
        <translation>Bazıları kopyalanamadı: {problems}</translation>
    </message>
</context>
<context>
    <name>RemoteBackends</name>
    <message>
        <source>llama.cpp server</source>
        <translation>llama.cpp sunucusu</translation>
    </message>
    <message>
        <source>llama-cpp-python server</source>
        <translation>llama-cpp-python sunucusu</translation>
    </message>
    <message>
        <source>OpenAI-compatible server</source>
        <translation>OpenAI uyumlu sunucu</translation>
    </message>
    <message>
        <source>Enter the server&apos;s address, such as http://192.168.1.20:8080.</source>
        <translation>Sunucunun adresini girin, örneğin http://192.168.1.20:8080.</translation>
    </message>
    <message>
        <source>{address} is not a valid address ({error}).</source>
        <translation>Geçerli bir adres değil: {address} ({error}).</translation>
    </message>
    <message>
        <source>Use an http:// or https:// address (not {scheme}://).</source>
        <translation>http:// ya da https:// ile başlayan bir adres kullanın ({scheme}:// değil).</translation>
    </message>
    <message>
        <source>{address} has no host name.</source>
        <translation>Bu adreste ana makine adı yok: {address}</translation>
    </message>
    <message>
        <source>Put the API key in the key field, not in the address.</source>
        <translation>API anahtarını adrese değil, anahtar alanına yazın.</translation>
    </message>
    <message>
        <source>The address should not have a query (?…) or a fragment (#…).</source>
        <translation>Adreste sorgu (?…) ya da parça (#…) bulunmamalı.</translation>
    </message>
    <message>
        <source>{key} does not name a remote model.</source>
        <translation>Bu bir uzak modeli belirtmiyor: {key}</translation>
    </message>
    <message>
        <source>That API key has spaces in it or is far too long.</source>
        <translation>Bu API anahtarında boşluk var ya da anahtar çok uzun.</translation>
    </message>
    <message>
        <source>The backend {url} is no longer in your Backends list; add it again to use {model}.</source>
        <translation>{url} arka ucu artık Arka uçlar listenizde değil; {model} modelini kullanmak için arka ucu yeniden ekleyin.</translation>
    </message>
</context>
<context>
    <name>RemoteClient</name>
    <message>
        <source>{error} Hearth tried {attempt} times; try again later.</source>
        <translation>{error} Hearth {attempt} kez denedi; daha sonra yeniden deneyin.</translation>
    </message>
    <message>
        <source>{error} Trying again in {delay:.0f} s (attempt {attempt} of {attempts})…</source>
        <translation>{error} {delay:.0f} sn sonra yeniden deneniyor (deneme {attempt}/{attempts})…</translation>
    </message>
    <message>
        <source>Stopped while waiting for the busy server.</source>
        <translation>Meşgul sunucu beklenirken durduruldu.</translation>
    </message>
    <message>
        <source>no content type</source>
        <translation>içerik türü yok</translation>
    </message>
    <message>
        <source>{address} did not answer with JSON ({kind}): it does not look like a model server&apos;s API.</source>
        <translation>{address} JSON ile yanıt vermedi ({kind}): bir model sunucusunun API&apos;sine benzemiyor.</translation>
    </message>
</context>
<context>
    <name>RemoteEngine</name>
    <message>
        <source>nothing</source>
        <translation>hiçbir şey</translation>
    </message>
    <message>
        <source>{where} does not serve {model} (it serves: {served}). Pick another model, or refresh the backend under Models → Backends.</source>
        <translation>{where} adresindeki sunucu {model} modelini sunmuyor (sunduğu modeller: {served}). Başka bir model seçin ya da arka ucu Modeller → Arka uçlar altında yenileyin.</translation>
    </message>
    <message>
        <source>the server&apos;s own ({kind} at {where})</source>
        <translation>sunucunun kendi şablonu ({where} adresindeki {kind})</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>Yüklü model yok.</translation>
    </message>
    <message>
        <source>Embeddings are computed by the local engine; a remote backend is used for chat only.</source>
        <translation>Gömmeler yerel motorda hesaplanır; uzak arka uç yalnızca sohbet için kullanılır.</translation>
    </message>
    <message>
        <source>No remote model is loaded.</source>
        <translation>Yüklü uzak model yok.</translation>
    </message>
    <message>
        <source>LoRA adapters are applied to local models only; turn them off in this conversation&apos;s settings to use a model on a backend.</source>
        <translation>LoRA bağdaştırıcıları yalnızca yerel modellere uygulanır; bir arka uçtaki modeli kullanmak için bu konuşmanın ayarlarından bağdaştırıcıları kapatın.</translation>
    </message>
    <message>
        <source>Images are sent to local models with a vision projector only, not to a backend; remove the image or pick a local vision model.</source>
        <translation>Görseller yalnızca görüntü projektörü olan yerel modellere gönderilir, arka uca gönderilmez; görseli kaldırın ya da görebilen bir yerel model seçin.</translation>
    </message>
    <message>
        <source>{where} sent a stream Hearth could not read ({lines} lines were not the chunks it expected).</source>
        <translation>{where} adresindeki sunucu Hearth&apos;ın okuyamadığı bir akış gönderdi ({lines} satır beklenen parçalar değildi).</translation>
    </message>
    <message>
        <source>The connection to {where} ended in the middle of the reply; what arrived is kept and marked interrupted.</source>
        <translation>{where} ile bağlantı yanıtın ortasında sona erdi; gelen kısım saklandı ve yarıda kaldı olarak işaretlendi.</translation>
    </message>
    <message>
        <source>The connection to {where} ended in the middle of the reply (the server closed it); what arrived is kept and marked interrupted.</source>
        <translation>{where} ile bağlantı yanıtın ortasında sona erdi (sunucu bağlantıyı kapattı); gelen kısım saklandı ve yarıda kaldı olarak işaretlendi.</translation>
    </message>
    <message>
        <source>{where} stopped sending in the middle of the reply (nothing for {seconds:.0f} s); what arrived is kept and marked interrupted.</source>
        <translation>{where} adresindeki sunucu yanıtın ortasında göndermeyi bıraktı ({seconds:.0f} sn boyunca hiçbir şey gelmedi); gelen kısım saklandı ve yarıda kaldı olarak işaretlendi.</translation>
    </message>
    <message>
        <source>{where} ended the reply before sending any of it; its own log may say why.</source>
        <translation>{where} adresindeki sunucu yanıtı, hiçbir kısmını göndermeden bitirdi; nedeni sunucunun kendi günlüğünde yazıyor olabilir.</translation>
    </message>
</context>
<context>
    <name>RemoteErrors</name>
    <message>
        <source>{message} The server said: {said}</source>
        <translation>{message} Sunucunun yanıtı: {said}</translation>
    </message>
    <message>
        <source>{where} refused the request ({status}: wrong or missing API key). Enter this backend&apos;s API key under Models → Backends.</source>
        <translation>{where} adresindeki sunucu isteği reddetti ({status}: API anahtarı yanlış ya da eksik). Bu arka ucun API anahtarını Modeller → Arka uçlar altında girin.</translation>
    </message>
    <message>
        <source>{where} refused the request ({status}: not allowed). Enter this backend&apos;s API key under Models → Backends.</source>
        <translation>{where} adresindeki sunucu isteği reddetti ({status}: izin verilmedi). Bu arka ucun API anahtarını Modeller → Arka uçlar altında girin.</translation>
    </message>
    <message>
        <source>The model {model} is not served by {where} any more (404). Refresh the backend under Models → Backends to see what it serves.</source>
        <translation>{model} modeli artık {where} adresinde sunulmuyor (404). Neler sunduğunu görmek için arka ucu Modeller → Arka uçlar altında yenileyin.</translation>
    </message>
    <message>
        <source>{where} has no such route (404). Refresh the backend under Models → Backends to see what it serves.</source>
        <translation>{where} adresindeki sunucuda böyle bir yol yok (404). Neler sunduğunu görmek için arka ucu Modeller → Arka uçlar altında yenileyin.</translation>
    </message>
    <message>
        <source>{where} is busy (too many requests).</source>
        <translation>{where} adresindeki sunucu meşgul (çok fazla istek).</translation>
    </message>
    <message>
        <source>{where} is not ready (503: loading or overloaded).</source>
        <translation>{where} adresindeki sunucu hazır değil (503: yükleniyor ya da aşırı yüklü).</translation>
    </message>
    <message>
        <source>The conversation is longer than the model&apos;s context on {where}.</source>
        <translation>Konuşma, {where} adresindeki modelin bağlamından daha uzun.</translation>
    </message>
    <message>
        <source>{where} answered HTTP {status}.</source>
        <translation>{where} adresindeki sunucu HTTP {status} ile yanıt verdi.</translation>
    </message>
    <message>
        <source>{where} did not answer within 10 seconds (is the address right, and the machine on?).</source>
        <translation>{where} adresindeki sunucu 10 saniye içinde yanıt vermedi (adres doğru mu, makine açık mı?).</translation>
    </message>
    <message>
        <source>{where} stopped sending (no data for a long time); Hearth gave up waiting.</source>
        <translation>{where} adresindeki sunucu göndermeyi bıraktı (uzun süredir veri gelmedi); Hearth beklemeyi bıraktı.</translation>
    </message>
    <message>
        <source>{where} took too long to answer.</source>
        <translation>{where} adresindeki sunucunun yanıt vermesi çok uzun sürdü.</translation>
    </message>
    <message>
        <source>The secure connection to {where} failed: {error}. Hearth always checks TLS certificates; use a certificate the system trusts, or http:// on your own network.</source>
        <translation>{where} ile güvenli bağlantı kurulamadı: {error}. Hearth TLS sertifikalarını her zaman denetler; sistemin güvendiği bir sertifika kullanın ya da kendi ağınızda http:// kullanın.</translation>
    </message>
    <message>
        <source>Nothing is listening at {where} (connection refused). Is the server running, and started to listen on the network (not only on its own 127.0.0.1)?</source>
        <translation>{where} adresinde dinleyen bir şey yok (bağlantı reddedildi). Sunucu çalışıyor mu ve ağı dinleyecek şekilde başlatıldı mı (yalnızca kendi 127.0.0.1 adresini değil)?</translation>
    </message>
    <message>
        <source>Hearth could not find the host of {where} (the name lookup failed). Check the address.</source>
        <translation>Hearth, {where} adresindeki ana makineyi bulamadı (ad çözümlemesi başarısız oldu). Adresi kontrol edin.</translation>
    </message>
    <message>
        <source>Hearth could not connect to {where}: {error}</source>
        <translation>Hearth, {where} adresine bağlanamadı: {error}</translation>
    </message>
    <message>
        <source>The connection to {where} was cut: {error}</source>
        <translation>{where} ile bağlantı kesildi: {error}</translation>
    </message>
    <message>
        <source>Talking to {where} failed: {error}</source>
        <translation>{where} ile iletişim başarısız oldu: {error}</translation>
    </message>
    <message>
        <source>Talking to {where} failed: {kind}: {error}</source>
        <translation>{where} ile iletişim başarısız oldu: {kind}: {error}</translation>
    </message>
</context>
<context>
    <name>RemoteProbe</name>
    <message>
        <source>{address} did not list models (an Ollama server lists them there).</source>
        <translation>{address} modelleri listelemedi (bir Ollama sunucusu onları orada listeler).</translation>
    </message>
    <message>
        <source>{address} did not answer with a model list; it does not look like an OpenAI-compatible server.</source>
        <translation>{address} bir model listesiyle yanıt vermedi; OpenAI uyumlu bir sunucuya benzemiyor.</translation>
    </message>
</context>
<context>
    <name>RemoteStream</name>
    <message>
        <source>{where} stopped the reply with an error: {error}</source>
        <translation>{where} adresindeki sunucu yanıtı bir hatayla durdurdu: {error}</translation>
    </message>
</context>
<context>
    <name>RepoModel</name>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>İndirme</translation>
    </message>
    <message>
        <source>Likes</source>
        <translation>Beğeni</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Güncellendi</translation>
    </message>
    <message>
        <source>Access</source>
        <translation>Erişim</translation>
    </message>
    <message>
        <source>Fit here</source>
        <translation>Uygunluk</translation>
    </message>
    <message>
        <source>estimating…</source>
        <translation>tahmin ediliyor…</translation>
    </message>
    <message>
        <source>open to check</source>
        <translation>görmek için açın</translation>
    </message>
    <message>
        <source>gated</source>
        <translation>kısıtlı</translation>
    </message>
    <message>
        <source>open</source>
        <translation>açık</translation>
    </message>
    <message>
        <source>Open the repository: each file&apos;s verdict is read from its header.</source>
        <translation>Depoyu açın: her dosyanın değerlendirmesi kendi başlığından okunur.</translation>
    </message>
</context>
<context>
    <name>RepoView</name>
    <message>
        <source>Pick a model on the left</source>
        <translation>Soldan bir model seçin</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>Bağlam uzunluğu</translation>
    </message>
    <message>
        <source>{n} tokens</source>
        <translation>{n} belirteç</translation>
    </message>
    <message>
        <source>Quantizations</source>
        <translation>Nicemlemeler</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>İndir</translation>
    </message>
    <message>
        <source>Download status</source>
        <translation>İndirme durumu</translation>
    </message>
    <message>
        <source>Also download the vision projector</source>
        <translation>Görüntü projektörünü de indir</translation>
    </message>
    <message>
        <source>Model card</source>
        <translation>Model kartı</translation>
    </message>
    <message>
        <source>The model card appears here.</source>
        <translation>Model kartı burada görünür.</translation>
    </message>
    <message>
        <source>Context:</source>
        <translation>Bağlam:</translation>
    </message>
    <message>
        <source>Loading the file list…</source>
        <translation>Dosya listesi yükleniyor…</translation>
    </message>
    <message>
        <source>{n} downloads</source>
        <translation>{n} indirme</translation>
    </message>
    <message>
        <source>{n} likes</source>
        <translation>{n} beğeni</translation>
    </message>
    <message>
        <source>licence: {license}</source>
        <translation>lisans: {license}</translation>
    </message>
    <message>
        <source>gated: needs a Hugging Face token and accepted terms</source>
        <translation>kısıtlı: Hugging Face belirteci ve kabul edilmiş koşullar gerekir</translation>
    </message>
    <message>
        <source>updated {date}</source>
        <translation>güncellendi: {date}</translation>
    </message>
    <message>
        <source>%n file(s) with unsafe names hidden</source>
        <translation>güvenli olmayan adlı %n dosya gizlendi</translation>
    </message>
    <message>
        <source>This repository has no GGUF files.</source>
        <translation>Bu depoda GGUF dosyası yok.</translation>
    </message>
    <message>
        <source>This repository has no model card.</source>
        <translation>Bu deponun model kartı yok.</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>Bağlantıyı aç</translation>
    </message>
    <message>
        <source>Open this link from the model card in your web browser?

{url}

The page is loaded by your browser, not by Hearth (Offline mode and the network log do not cover it).</source>
        <translation>Model kartındaki bu bağlantı web tarayıcınızda açılsın mı?

{url}

Sayfayı Hearth değil, tarayıcınız yükler (Çevrimdışı mod ve ağ günlüğü bunu kapsamaz).</translation>
    </message>
    <message>
        <source>★ {quant} ({size}) is the best quantization that fits fully on this computer at {n} tokens.</source>
        <translation>★ {quant} ({size}), {n} belirteçte bu bilgisayara tamamen sığan en iyi nicemleme.</translation>
    </message>
    <message>
        <source>No quantization fits fully on this computer at this context; try a smaller context or a smaller model.</source>
        <translation>Bu bağlamda hiçbir nicemleme bu bilgisayara tamamen sığmıyor; daha küçük bir bağlam ya da daha küçük bir model deneyin.</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Sohbet et</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>İndirildi</translation>
    </message>
    <message>
        <source>Chat with {name}</source>
        <translation>{name} ile sohbet et</translation>
    </message>
    <message>
        <source>Already downloaded: {path}</source>
        <translation>Zaten indirilmiş: {path}</translation>
    </message>
    <message>
        <source>✓ Already downloaded</source>
        <translation>✓ Zaten indirilmiş</translation>
    </message>
    <message>
        <source>Also download the vision projector ({file}, {size})</source>
        <translation>Görüntü projektörünü de indir ({file}, {size})</translation>
    </message>
    <message>
        <source>Lets this model read images in the chat. It goes into the same folder, so the library pairs them.</source>
        <translation>Bu modelin sohbette görselleri okumasını sağlar. Aynı klasöre iner, böylece kitaplık ikisini eşleştirir.</translation>
    </message>
</context>
<context>
    <name>RowActions</name>
    <message>
        <source>Pause</source>
        <translation>Duraklat</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Sürdür</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Yeniden dene</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>İptal et</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Sohbet et</translation>
    </message>
    <message>
        <source>Pause: the bytes downloaded so far are kept</source>
        <translation>Duraklat: şimdiye kadar indirilen baytlar korunur</translation>
    </message>
    <message>
        <source>Continue where it stopped</source>
        <translation>Kaldığı yerden devam et</translation>
    </message>
    <message>
        <source>Try this download again</source>
        <translation>Bu indirmeyi yeniden dene</translation>
    </message>
    <message>
        <source>Stop and delete the partly downloaded file</source>
        <translation>Durdur ve kısmen indirilmiş dosyayı sil</translation>
    </message>
    <message>
        <source>Start a chat with this model</source>
        <translation>Bu modelle sohbet başlat</translation>
    </message>
    <message>
        <source>Pause {file}</source>
        <translation>{file} indirmesini duraklat</translation>
    </message>
    <message>
        <source>Resume {file}</source>
        <translation>{file} indirmesini sürdür</translation>
    </message>
    <message>
        <source>Retry {file}</source>
        <translation>{file} indirmesini yeniden dene</translation>
    </message>
    <message>
        <source>Cancel {file}</source>
        <translation>{file} indirmesini iptal et</translation>
    </message>
    <message>
        <source>Chat with {file}</source>
        <translation>{file} ile sohbet et</translation>
    </message>
</context>
<context>
    <name>SamplingPreset</name>
    <message>
        <source>Balanced</source>
        <translation>Dengeli</translation>
    </message>
    <message>
        <source>Precise</source>
        <translation>Kesin</translation>
    </message>
    <message>
        <source>Creative</source>
        <translation>Yaratıcı</translation>
    </message>
    <message>
        <source>Deterministic</source>
        <translation>Belirlenimci</translation>
    </message>
</context>
<context>
    <name>ServerControl</name>
    <message>
        <source>Could not start the server on port {port}: {error}</source>
        <translation>Sunucu {port} bağlantı noktasında başlatılamadı: {error}</translation>
    </message>
    <message>
        <source>Off: no other app can use the model.</source>
        <translation>Kapalı: başka hiçbir uygulama modeli kullanamaz.</translation>
    </message>
    <message>
        <source>On at {url}: anyone on your network who has the key can use the loaded model.</source>
        <translation>{url} adresinde açık: ağınızda anahtara sahip herkes yüklü modeli kullanabilir.</translation>
    </message>
    <message>
        <source>On at {url}: anyone on your network who has the key can use no model yet (load one on the Chat page).</source>
        <translation>{url} adresinde açık: ağınızda anahtara sahip herkes kullanabilir, ancak henüz yüklü model yok (Sohbet sayfasından bir model yükleyin).</translation>
    </message>
    <message>
        <source>On at {url}: apps on this computer can use the loaded model.</source>
        <translation>{url} adresinde açık: bu bilgisayardaki uygulamalar yüklü modeli kullanabilir.</translation>
    </message>
    <message>
        <source>On at {url}: apps on this computer can use no model yet (load one on the Chat page).</source>
        <translation>{url} adresinde açık: bu bilgisayardaki uygulamalar kullanabilir, ancak henüz yüklü model yok (Sohbet sayfasından bir model yükleyin).</translation>
    </message>
</context>
<context>
    <name>ServerSection</name>
    <message>
        <source>Local API server (OpenAI-compatible)</source>
        <translation>Yerel API sunucusu (OpenAI uyumlu)</translation>
    </message>
    <message>
        <source>Let other apps on this computer use the loaded model</source>
        <translation>Bu bilgisayardaki diğer uygulamalar yüklü modeli kullanabilsin</translation>
    </message>
    <message>
        <source>Local API server</source>
        <translation>Yerel API sunucusu</translation>
    </message>
    <message>
        <source>Editors, scripts and note apps can then send chat requests to Hearth&apos;s model over an OpenAI-compatible HTTP API. Off by default.</source>
        <translation>Böylece düzenleyiciler, betikler ve not uygulamaları OpenAI uyumlu bir HTTP API üzerinden Hearth içindeki modele sohbet istekleri gönderebilir. Varsayılan olarak kapalıdır.</translation>
    </message>
    <message>
        <source>Server port</source>
        <translation>Sunucu bağlantı noktası</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Sunucu adresi</translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation>Adresi kopyala</translation>
    </message>
    <message>
        <source>Copy server address</source>
        <translation>Sunucu adresini kopyala</translation>
    </message>
    <message>
        <source>Also serve other devices on my network (they need the key)</source>
        <translation>Ağımdaki diğer aygıtlara da hizmet ver (anahtar gerekir)</translation>
    </message>
    <message>
        <source>Serve on the local network</source>
        <translation>Yerel ağda hizmet ver</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API anahtarı</translation>
    </message>
    <message>
        <source>made when you first serve on the network</source>
        <translation>ağda ilk kez hizmet verdiğinizde oluşturulur</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Göster</translation>
    </message>
    <message>
        <source>Show API key</source>
        <translation>API anahtarını göster</translation>
    </message>
    <message>
        <source>Copy key</source>
        <translation>Anahtarı kopyala</translation>
    </message>
    <message>
        <source>Copy API key</source>
        <translation>API anahtarını kopyala</translation>
    </message>
    <message>
        <source>New key</source>
        <translation>Yeni anahtar</translation>
    </message>
    <message>
        <source>Make a new API key</source>
        <translation>Yeni bir API anahtarı oluştur</translation>
    </message>
    <message>
        <source>Apps using the old key stop working until they get the new one</source>
        <translation>Eski anahtarı kullanan uygulamalar yenisini alana kadar çalışmaz</translation>
    </message>
    <message>
        <source>Allowed web origins</source>
        <translation>İzin verilen web kökenleri</translation>
    </message>
    <message>
        <source>web pages allowed to call the API, e.g. http://localhost:3000 (none: no page)</source>
        <translation>API&apos;yi çağırabilecek web sayfaları, ör. http://localhost:3000 (boş: hiçbiri)</translation>
    </message>
    <message>
        <source>Server status</source>
        <translation>Sunucu durumu</translation>
    </message>
    <message>
        <source>Who is using the model</source>
        <translation>Modeli kim kullanıyor</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Bağlantı noktası:</translation>
    </message>
    <message>
        <source>Key:</source>
        <translation>Anahtar:</translation>
    </message>
    <message>
        <source>Origins:</source>
        <translation>Kökenler:</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Gizle</translation>
    </message>
    <message>
        <source>{count} waiting (at most {limit})</source>
        <translation>{count} bekliyor (en fazla {limit})</translation>
    </message>
    <message>
        <source>Answering a request from {client}</source>
        <translation>{client} adresinden gelen bir istek yanıtlanıyor</translation>
    </message>
    <message>
        <source>The chat is using the model; requests wait their turn</source>
        <translation>Modeli sohbet kullanıyor; istekler sıralarını bekliyor</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>Chat settings panel</source>
        <translation>Sohbet ayarları paneli</translation>
    </message>
    <message>
        <source>This conversation</source>
        <translation>Bu konuşma</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Sistem istemi</translation>
    </message>
    <message>
        <source>Optional instructions for the model (e.g. &quot;Answer briefly.&quot;)</source>
        <translation>Model için isteğe bağlı talimatlar (ör. &quot;Kısa yanıt ver.&quot;)</translation>
    </message>
    <message>
        <source>System prompt:</source>
        <translation>Sistem istemi:</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Hazır ayar</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Farklı kaydet…</translation>
    </message>
    <message>
        <source>Save preset</source>
        <translation>Hazır ayarı kaydet</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Sil</translation>
    </message>
    <message>
        <source>Delete preset</source>
        <translation>Hazır ayarı sil</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>Hazır ayar:</translation>
    </message>
    <message>
        <source>random</source>
        <translation>rastgele</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>Sıcaklık:</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Sıcaklık</translation>
    </message>
    <message>
        <source>Top P:</source>
        <translation>Top P:</translation>
    </message>
    <message>
        <source>Top P</source>
        <translation>Top P</translation>
    </message>
    <message>
        <source>Top K:</source>
        <translation>Top K:</translation>
    </message>
    <message>
        <source>Top K</source>
        <translation>Top K</translation>
    </message>
    <message>
        <source>Min P:</source>
        <translation>Min P:</translation>
    </message>
    <message>
        <source>Min P</source>
        <translation>Min P</translation>
    </message>
    <message>
        <source>Repeat penalty:</source>
        <translation>Tekrar cezası:</translation>
    </message>
    <message>
        <source>Repeat penalty</source>
        <translation>Tekrar cezası</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Tohum:</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Tohum</translation>
    </message>
    <message>
        <source>Max tokens:</source>
        <translation>En fazla belirteç:</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>En fazla belirteç</translation>
    </message>
    <message>
        <source>When the context is full</source>
        <translation>Bağlam dolduğunda</translation>
    </message>
    <message>
        <source>Context full:</source>
        <translation>Bağlam dolunca:</translation>
    </message>
    <message>
        <source>Chat template</source>
        <translation>Sohbet şablonu</translation>
    </message>
    <message>
        <source>From the model</source>
        <translation>Modelden</translation>
    </message>
    <message>
        <source>Chat template:</source>
        <translation>Sohbet şablonu:</translation>
    </message>
    <message>
        <source>Answer from documents</source>
        <translation>Belgelerden yanıtla</translation>
    </message>
    <message>
        <source>A document collection (Documents page) this conversation answers from: each question is searched in it and the reply cites the passages as [1], [2].</source>
        <translation>Bu konuşmanın yanıt verdiği belge koleksiyonu (Belgeler sayfası): her soru onda aranır ve yanıt pasajları [1], [2] olarak kaynak gösterir.</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Yok</translation>
    </message>
    <message>
        <source>Documents:</source>
        <translation>Belgeler:</translation>
    </message>
    <message>
        <source>Model loading</source>
        <translation>Model yükleme</translation>
    </message>
    <message>
        <source>all</source>
        <translation>tümü</translation>
    </message>
    <message>
        <source>auto (physical cores)</source>
        <translation>otomatik (fiziksel çekirdekler)</translation>
    </message>
    <message>
        <source>Flash attention</source>
        <translation>Flash attention</translation>
    </message>
    <message>
        <source>never</source>
        <translation>asla</translation>
    </message>
    <message>
        <source> min</source>
        <translation> dk</translation>
    </message>
    <message>
        <source>Context length:</source>
        <translation>Bağlam uzunluğu:</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>Bağlam uzunluğu</translation>
    </message>
    <message>
        <source>GPU layers:</source>
        <translation>GPU katmanları:</translation>
    </message>
    <message>
        <source>GPU layers</source>
        <translation>GPU katmanları</translation>
    </message>
    <message>
        <source>Threads:</source>
        <translation>İş parçacıkları:</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>İş parçacıkları</translation>
    </message>
    <message>
        <source>KV cache type:</source>
        <translation>KV önbellek türü:</translation>
    </message>
    <message>
        <source>KV cache type</source>
        <translation>KV önbellek türü</translation>
    </message>
    <message>
        <source>Unload when idle:</source>
        <translation>Boştayken kaldır:</translation>
    </message>
    <message>
        <source>Unload when idle</source>
        <translation>Boştayken kaldır</translation>
    </message>
    <message>
        <source>Changes apply the next time you press Load.</source>
        <translation>Değişiklikler, Yükle&apos;ye bir sonraki basışınızda uygulanır.</translation>
    </message>
    <message>
        <source>{name} (edited)</source>
        <translation>{name} (düzenlendi)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Özel</translation>
    </message>
    <message>
        <source>Preset name:</source>
        <translation>Hazır ayar adı:</translation>
    </message>
    <message>
        <source>{name} (removed)</source>
        <translation>{name} (kaldırıldı)</translation>
    </message>
    <message>
        <source>In use: {source}</source>
        <translation>Kullanılan: {source}</translation>
    </message>
    <message>
        <source>Needed by a quantized KV cache (llama.cpp quantizes the V cache only with flash attention).</source>
        <translation>Nicemlenmiş KV önbelleği için gerekli (llama.cpp, V önbelleğini yalnızca flash attention ile nicemler).</translation>
    </message>
    <message>
        <source>Faster attention with less memory on most models.</source>
        <translation>Çoğu modelde daha az bellekle daha hızlı dikkat hesabı.</translation>
    </message>
</context>
<context>
    <name>SourcesModel</name>
    <message>
        <source>Source (file or folder you added)</source>
        <translation>Kaynak (eklediğiniz dosya veya klasör)</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Belgeler</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>bulunamadı</translation>
    </message>
</context>
<context>
    <name>StarterPicks</name>
    <message>
        <source>Instant replies on any computer; simple questions and trying Hearth out</source>
        <translation>Her bilgisayarda anında yanıtlar; basit sorular ve Hearth&apos;ü denemek için</translation>
    </message>
    <message>
        <source>Fast, light chat and short rewrites on old laptops</source>
        <translation>Eski dizüstü bilgisayarlarda hızlı, hafif sohbet ve kısa yeniden yazımlar</translation>
    </message>
    <message>
        <source>A capable small assistant for summaries and everyday questions</source>
        <translation>Özetler ve günlük sorular için yetenekli, küçük bir asistan</translation>
    </message>
    <message>
        <source>Tiny multilingual assistant with a long context</source>
        <translation>Uzun bağlamlı, minik çok dilli asistan</translation>
    </message>
    <message>
        <source>Multilingual chat and structured answers (JSON) on modest hardware</source>
        <translation>Mütevazı donanımda çok dilli sohbet ve yapılandırılmış yanıtlar (JSON)</translation>
    </message>
    <message>
        <source>Good general assistant for its size; maths and multilingual text</source>
        <translation>Boyutuna göre iyi bir genel asistan; matematik ve çok dilli metin</translation>
    </message>
    <message>
        <source>Strong all-round assistant: writing, reasoning, many languages</source>
        <translation>Her işte güçlü asistan: yazma, akıl yürütme, birçok dil</translation>
    </message>
    <message>
        <source>Code completion and small coding questions on a laptop</source>
        <translation>Dizüstü bilgisayarda kod tamamlama ve küçük kodlama soruları</translation>
    </message>
    <message>
        <source>Writing, explaining and fixing code</source>
        <translation>Kod yazma, açıklama ve düzeltme</translation>
    </message>
    <message>
        <source>Reasoning and maths in a small package (short context)</source>
        <translation>Küçük bir pakette akıl yürütme ve matematik (kısa bağlam)</translation>
    </message>
    <message>
        <source>Reasoning with a long context: documents and long chats</source>
        <translation>Uzun bağlamla akıl yürütme: belgeler ve uzun sohbetler</translation>
    </message>
    <message>
        <source>Friendly, fluent writing from a small model</source>
        <translation>Küçük bir modelden samimi, akıcı yazım</translation>
    </message>
    <message>
        <source>High-quality writing and answers if you have 8 GB or more to spare</source>
        <translation>8 GB ya da daha fazla boş belleğiniz varsa yüksek kaliteli yazım ve yanıtlar</translation>
    </message>
    <message>
        <source>A very small model for simple, well-defined tasks</source>
        <translation>Basit, iyi tanımlanmış görevler için çok küçük bir model</translation>
    </message>
    <message>
        <source>Small multilingual assistant with a long context</source>
        <translation>Uzun bağlamlı, küçük çok dilli asistan</translation>
    </message>
    <message>
        <source>Strong mid-size assistant: writing, summaries, 140 languages</source>
        <translation>Güçlü, orta boy asistan: yazma, özetler, 140 dil</translation>
    </message>
    <message>
        <source>Fast summaries and rewriting with a long context</source>
        <translation>Uzun bağlamla hızlı özetler ve yeniden yazım</translation>
    </message>
    <message>
        <source>Reliable everyday assistant; follows instructions well</source>
        <translation>Güvenilir günlük asistan; talimatlara iyi uyar</translation>
    </message>
    <message>
        <source>A strong general model if you have about 6 GB free</source>
        <translation>Yaklaşık 6 GB boş belleğiniz varsa güçlü bir genel model</translation>
    </message>
    <message>
        <source>Solid general chat and writing, permissive licence</source>
        <translation>Sağlam genel sohbet ve yazım, serbest lisans</translation>
    </message>
    <message>
        <source>A classic small chat model for slow machines (short context)</source>
        <translation>Yavaş makineler için klasik, küçük bir sohbet modeli (kısa bağlam)</translation>
    </message>
    <message>
        <source>Embeddings for chatting with English documents (Documents page)</source>
        <translation>İngilizce belgelerle sohbet için gömmeler (Belgeler sayfası)</translation>
    </message>
    <message>
        <source>Small, fast embeddings for English documents (Documents page)</source>
        <translation>İngilizce belgeler için küçük, hızlı gömmeler (Belgeler sayfası)</translation>
    </message>
    <message>
        <source>Embeddings for documents in Turkish and ~100 other languages (Documents page)</source>
        <translation>Türkçe ve ~100 başka dildeki belgeler için gömmeler (Belgeler sayfası)</translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <source>unknown</source>
        <translation>bilinmiyor</translation>
    </message>
</context>
</TS>

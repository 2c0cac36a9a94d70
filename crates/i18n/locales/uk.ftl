### Dossier message catalogue — Ukrainian.
### The domain's messages: errors and the names of the codes it defines (roles, units, statuses).
### Message ids are the code's keys with "." written as "-" (common.required → common-required).

## The language itself, as its speakers name it (the language switcher shows it).
language-name = Українська

## Messages shared by every part of the system.
common-required = Обов’язкове поле.
common-too_long = Задовго: щонайбільше { $max } символів.
common-invalid_date = Дата має бути у форматі РРРР-ММ-ДД.
common-invalid_datetime = Час має бути у форматі РРРР-ММ-ДДTГГ:ХХ, наприклад 2026-12-08T10:30.
common-date_in_future = Дата не може бути в майбутньому.
common-unknown_value = Невідоме значення «{ $value }».
common-unknown_message = Повідомлення, якого ця версія не знає.
common-concurrent_change = Хтось змінив це в ту саму мить; спробуйте ще раз.
common-out_of_range = Має бути від { $min } до { $max }.
common-not_found = Не знайдено.
common-forbidden = Недостатньо прав для цієї дії.
common-unauthenticated = Потрібно увійти в систему.
common-malformed_json = Некоректний JSON: { $detail }
common-malformed_request = Некоректний запит: { $detail }
common-payload_too_large = Завеликий запит.
common-validation_failed = Дані не пройшли перевірку.
common-conflict = Конфлікт із наявними даними.
document-changed = Документ тим часом змінено; нічого не записано.
common-internal = Внутрішня помилка. Спробуйте пізніше; подію записано.
common-rate_limited = Забагато спроб. Спробуйте пізніше.
common-csrf = Форма застаріла або підроблена. Оновіть сторінку й спробуйте ще раз.
common-unsupported_media = Непідтримуваний тип даних: { $detail }
common-bad_encoding = Рядок не в кодуванні UTF-8.
common-unprintable = Символ { $char } не можна надрукувати в документі: лише українські й латинські літери, цифри та звичайні розділові знаки.
common-repeated_item = «{ $item }» зазначено більше одного разу; кожен елемент зазначають один раз.
auth-bad_credentials = Неправильний логін або пароль.
auth-locked = Обліковий запис тимчасово заблоковано після кількох невдалих спроб. Спробуйте пізніше.
org-bad_parent = Такий підрозділ не може бути підпорядкований обраному.
org-code_taken = Підрозділ із таким кодом уже є.
staff-login_taken = Такий логін уже зайнято.
tsa-not_configured = Службу позначок часу на цьому сервері не налаштовано.

## Messages about identifiers (SPEC §3).
rnokpp-format = РНОКПП має складатися з { $len } цифр.
rnokpp-checksum = Неправильна контрольна цифра РНОКПП — перевірте номер.
rnokpp-birth_mismatch = Дата народження не збігається з РНОКПП (за номером — { $date }).
rnokpp-sex_mismatch = Стать не збігається з РНОКПП.
unzr-format = УНЗР має вигляд РРРРММДД-ННННК.
unzr-date = УНЗР містить неіснуючу дату.
unzr-checksum = Неправильна контрольна цифра УНЗР.
passport-format = Паспорт: дві українські великі літери та шість цифр (напр. КВ123456).
id_card-format = Номер ID-картки — { $len } цифр.
okzo-format = Номер ОКЗО — до 10 цифр (доповнюється ведучими нулями).
account-format = Номер особового рахунку — від 1 до { $max } цифр.

## Messages about people and representatives.
name-letters = Недопустимий символ «{ $char }»: лише українські літери, апостроф і дефіс.
name-separator = Апостроф, дефіс чи пробіл не можуть стояти на початку, в кінці чи підряд.
person-birth_too_early = Дата народження раніше 1900 року.
person-rnokpp_required = Вкажіть РНОКПП або позначте відмову від нього з релігійних переконань.
person-rnokpp_with_refusal = Особа відмовилася від РНОКПП — номер не зберігається.
person-passport_required_for_refusal = Для особи, що відмовилася від РНОКПП, потрібні серія та номер паспорта.
person-unzr_birth_mismatch = Дата в УНЗР не збігається з датою народження.
person-id_card_expiry_without_card = Строк дії вказано, а номера ID-картки немає.
person-duplicate = Особа з таким РНОКПП або паспортом уже є в реєстрі.
person-photo_not_image = Фото має бути зображенням JPEG або PNG.
person-photo_too_large = Фото завелике: щонайбільше { $max } КБ.
person-photo_too_small = Фото замале: щонайменше { $w }×{ $h } пікселів.
person-signature_not_image = Зразок підпису має бути зображенням JPEG або PNG.
person-signature_too_large = Зразок підпису завеликий: щонайбільше { $max } КБ.
person-signature_too_small = Зразок підпису замалий: щонайменше { $w }×{ $h } пікселів.
sex-male = чоловіча
sex-female = жіноча
capacity-full = повна дієздатність
capacity-limited = обмежена дієздатність
capacity-incapacitated = недієздатна особа
rep-parent = батько/мати
rep-adoptive_parent = усиновлювач
rep-parent_educator = батько-вихователь / мати-вихователька
rep-foster_parent = прийомний батько / прийомна мати
rep-patronage_educator = патронатний вихователь
rep-guardian = опікун
rep-custodian = піклувальник
rep-institution = заклад (орган опіки і піклування)
rep-proof_required = Вкажіть документ, що підтверджує статус представника.
rep-resident_needs_rnokpp = Представник-резидент пред’являє документ про реєстрацію платника податків — вкажіть РНОКПП.
person-unit_not_district = Особа перебуває на обліку в управлінні в районі — оберіть управління.
import-missing_column = У заголовку CSV немає стовпця «{ $column }».
import-malformed_row = Рядок CSV не вдається прочитати (лапки чи роздільники).
import-empty = У файлі немає жодного рядка з даними.

## Messages of the pension-certificate application (regulation 26-1).
application-issue_unit_not_office = Паперове посвідчення видає орган Пенсійного фонду — оберіть управління або сервісний центр.
application-issue_unit_not_bank_branch = Електронне посвідчення видає відділення банку — оберіть відділення.
application-idp_gets_card = Внутрішньо переміщеним особам видається електронне пенсійне посвідчення (картка).
application-disability_required = Для пенсії по інвалідності вкажіть групу і причину інвалідності.
application-term_in_past = Строк має бути в майбутньому.
application-representative_required = Для неповнолітньої, недієздатної чи обмежено дієздатної особи заяву подає законний представник — оберіть його.
application-representative_unknown = Такого представника в особи не зареєстровано.
application-representative_inactive = Повноваження цього представника припинено.
application-duplicate = Уже є чинне посвідчення або заява цього виду пенсії: { $reference } (етап: { $stage }).
application-card_holder_no_paper = Особі з електронним пенсійним посвідченням ({ $reference }) паперове не видається.
application-paper_holder_card_in_its_place = Особа має паперове пенсійне посвідчення ({ $reference }): електронне виготовляється лише замість нього — подайте заяву на картку як заміну цього посвідчення.
application-subgroup_only_group_one = Підгрупа (А чи Б) буває лише в І групі.
application-child_with_disability_age = «Дитина з інвалідністю» — лише особа до 18 років.
application-minor_is_child_with_disability = Для особи до 18 років причина — «дитина з інвалідністю».
application-child_of_war_birth = «Дитина війни» — особа, якій 2 вересня 1945 року було менше 18 років.
application-previous_disposition_required = Попереднє посвідчення має бути повернуто або заявлено втраченим.
application-lost_cannot_be_returned = Утрачене посвідчення не може бути повернуто — позначте «заявлено втраченим».
application-previous_not_found = Попереднє посвідчення цієї особи не знайдено.
application-previous_not_held = Посвідчення { $reference } ще не видано або вже недійсне — його не можна замінити.
application-payment_system_required = Оберіть платіжну систему картки: міжнародну або національну.
application-payment_system_card_only = Платіжну систему обирають лише для картки.
payment_system-international = міжнародна платіжна система
payment_system-national = національна платіжна система «ПРОСТІР»
application-term_extended_card_only = Через продовження строку виготовляють нову картку: замінити можна лише картку карткою.
application-term_not_extended = Строк у заяві має бути пізнішим за строк попередньої картки ({ $date }) або встановлювати інвалідність.
application-term_not_fixed = Попередню картку видано без строку пенсії: продовжувати нічого, хіба що встановлено інвалідність.
application-other_kind_must_differ = Заміна через інший вид пенсії: вид пенсії має відрізнятися від попереднього.
application-replacement_same_kind = Заміна з цієї причини зберігає вид пенсії попереднього посвідчення.
application-not_amendable = Заява вже у виготовленні — змінити чи відкликати її не можна.
application-until = до
pension-old_age = за віком
pension-disability = по інвалідності
pension-loss_of_breadwinner = у разі втрати годувальника
pension-long_service = за вислугу років
disability_group-1 = I група
disability_group-2 = II група
disability_group-3 = III група
disability_subgroup-a = підгрупа А
disability_subgroup-b = підгрупа Б
disability_cause-general_disease = загальне захворювання
disability_cause-from_childhood = інвалідність з дитинства
disability_cause-work_injury = трудове каліцтво
disability_cause-occupational_disease = професійне захворювання
disability_cause-war = інвалідність внаслідок війни
disability_cause-child_with_disability = дитина з інвалідністю
disability_cause-child_of_war = дитина війни
disability_cause-army = інвалідність армії
disability_cause-chornobyl_liquidator = інвалідність ліквідатора наслідків аварії на ЧАЕС
disability_cause-chornobyl_victim = інвалідність потерпілого від аварії на ЧАЕС
disability_cause-revolution_of_dignity = інвалідність внаслідок Революції гідності
impairment-hearing = по слуху
impairment-sight = по зору
impairment-musculoskeletal = опорно-руховий апарат

## The disability entry printed on the certificate (§II.3, item 7): "{ $group }" is a Roman numeral,
## "{ $cause }" the cause and "{ $impairment }" the nosological form, when there is one.
## The regulation writes the numerals with the Cyrillic letter І (U+0406) and the subgroups with Cyrillic А and Б.
certificate-group_numeral-1 = І
certificate-group_numeral-2 = ІІ
certificate-group_numeral-3 = ІІІ
certificate-subgroup_letter-a = А
certificate-subgroup_letter-b = Б
certificate-disability = особа з інвалідністю { $group } групи
certificate-disability_subgroup = особа з інвалідністю підгрупи { $subgroup } { $group } групи
service_body-derzhspetszviazku = Держспецзв’язку
service_body-dps = ДПС
service_body-dkvs = ДКВС
service_body-dsns = ДСНС
service_body-dfs = ДФС
service_body-mvs = МВС
service_body-mininfrastruktury = Мінінфраструктури
service_body-minoborony = Міноборони
service_body-natsionalna_hvardiia = Національна гвардія
service_body-natsionalna_politsiia = Національна поліція
service_body-sbu = СБУ
service_body-szr = Служба зовнішньої розвідки
service_body-udo = УДО
replacement-unusable = посвідчення непридатне для користування
replacement-lost = посвідчення втрачено
replacement-term_extended = продовжено строк пенсії або встановлено (продовжено) інвалідність
replacement-other_pension_kind = призначено інший вид пенсії
replacement-representative_changed = змінилися обставини опіки (піклування)
form-paper = паперове
form-card = електронне (платіжна картка)
application-replacement_fixed = Дані про заміну не змінюються — відкличте заяву й подайте нову.

## Messages of the certification centre: profiles, the registry checks (SPEC §2.2, §2.4 §IV), requests, revocation.

## Profiles.
cert_profile-qes_id_card = Кваліфікований підпис на ID-картці
cert_profile-card_key = Ключ електронного пенсійного посвідчення
cert_profile-agency_encryption = Шифрування (установа)
cert_profile-document_signing = Підписання документів (установа)
cert_profile-time_stamping = Позначки часу

## Registry checks.
certification-refused = Сертифікат не може бути сформовано.
certification-validity_positive = Строк дії — щонайменше один день.
certification-validity_beyond_profile = Строк дії сертифіката цього виду — не більше { $max } днів.
certification-person_profile_for_unit = Ключі кваліфікованого підпису та ключі картки сертифікуються лише для особи, не для підрозділу.
certification-unit_profile_for_person = Сертифікати шифрування, підписання документів і позначок часу видаються лише підрозділам, не особам.
certification-qes_adults_only = Кваліфікований підпис на ID-картці — лише для осіб, яким виповнилося 18 років.
certification-qes_no_id_card = У реєстрі немає ID-картки особи.
certification-qes_id_card_expiry_unknown = Не відомо, до якої дати дійсна ID-картка: внесіть строк дії до реєстру.
certification-qes_id_card_expired = Строк дії ID-картки закінчився { $date }.
certification-qes_beyond_id_card = Сертифікат не може діяти довше за ID-картку (до { $date }, тобто не більше { $days } днів).
certification-card_application_required = Ключі картки сертифікуються лише за заявою на електронне посвідчення: вкажіть заяву.
certification-card_application_other_person = Ця заява належить іншій особі.
certification-card_application_not_card = Це заява на паперове посвідчення: ключі сертифікуються лише для картки.
certification-card_application_wrong_stage = Ключі сертифікуються, коли їх згенеровано; заява на етапі «{ $stage }».
certification-card_key_beyond_card = Ключ не може діяти довше за картку (до { $date }, тобто не більше { $days } днів).

## Requests and the centre itself.
ca-not_configured = Центр сертифікації не налаштовано: виконайте «dossier ca init» і задайте DOSSIER_CA_PIN.
ca-csr_malformed = Запит на сертифікат пошкоджено або він не у форматі PKCS#10.
ca-csr_bad_signature = Підпис запиту не перевіряється: володіння особистим ключем не доведено.
ca-csr_unsupported = Алгоритм запиту не підтримується (потрібен ECDSA P-256 або P-384).
ca-csr_weak_algorithm = Запит підписано з SHA-1, який не приймається в нових підписах (ETSI TS 119 312): підпишіть його з SHA-256, SHA-384 або SHA-512.
ca-subject_required = Вкажіть рівно одного суб’єкта: особу або підрозділ.
ca-person_not_found = Особу не знайдено в реєстрі.
ca-unit_not_found = Підрозділ не знайдено.
ca-card_application_not_found = Заяву не знайдено.
ca-already_revoked = Сертифікат уже скасовано.
ca-serial_format = Серійний номер — шістнадцяткові цифри.
ca-issue_failed = Центр сертифікації не зміг підписати сертифікат.

## Revocation reasons (RFC 5280 §5.3.1).
revocation-unspecified = Без зазначення причини
revocation-key_compromise = Компрометація ключа
revocation-ca_compromise = Компрометація ключа центру
revocation-affiliation_changed = Зміна даних власника
revocation-superseded = Замінено новим
revocation-cessation_of_operation = Припинення діяльності
revocation-certificate_hold = Блокування
revocation-privilege_withdrawn = Відкликання повноважень

## Messages of the certificate life cycle (regulation 26-1, §§ III–V): certificate forms, stage names, event names (button labels) and refusals.

## Forms of a certificate.
certificate_form-paper = Паперове посвідчення
certificate_form-card = Електронне посвідчення (платіжна картка)

## Stages.
stage-accepted = Заяву прийнято
stage-submitted_to_region = Відомості подано до головного управління Фонду
stage-submitted_to_central = Відомості подано до Пенсійного фонду України
stage-duplicate_hold = Виготовлення призупинено: можливе дублювання посвідчення
stage-in_production = Посвідчення виготовляється
stage-produced = Посвідчення виготовлено
stage-at_region = Посвідчення передано до головного управління Фонду
stage-at_district = Посвідчення надійшло до органу Фонду і готове до видачі
stage-sent_to_bank = Заяву передано до банку
stage-account_opened = Банк відкрив рахунок
stage-at_personalizer = Відомості передано персоналізатору
stage-keys_generated = Ключі згенеровано, запити на сертифікацію подано
stage-keys_certified = Сертифікати ключів сформовано
stage-personalized = Посвідчення персоналізовано
stage-at_branch = Посвідчення надійшло до відділення банку і готове до видачі
stage-issued = Посвідчення видано
stage-active = Посвідчення активовано
stage-blocked = Посвідчення заблоковано
stage-returned = Посвідчення повернуто для знищення
stage-lost = Заявлено про втрату посвідчення
stage-withdrawn_by_bank = Посвідчення вилучено банком
stage-destroyed = Посвідчення знищено
stage-withdrawn = Заяву відкликано
stage-refused = У виготовленні посвідчення відмовлено

## Events, worded as the actions a person records.
event-submit_to_region = Подати відомості до головного управління Фонду
event-submit_to_central = Подати відомості до Пенсійного фонду України
event-pass_duplicate_check = Підтвердити відсутність раніше виготовлених посвідчень
event-hold_as_duplicate = Призупинити виготовлення: можливе дублювання
event-release_hold = Відновити виготовлення
event-produce = Зареєструвати виготовлення
event-transfer_to_region = Передати до головного управління за актом
event-transfer_to_district = Передати до органу Фонду за актом
event-send_to_bank = Передати заяву до банку
event-open_account = Зареєструвати відкриття рахунку
event-send_to_personalizer = Передати відомості персоналізатору
event-generate_keys = Зареєструвати генерацію ключів
event-certify_keys = Зареєструвати формування сертифікатів ключів
event-personalize = Зареєструвати персоналізацію
event-deliver_to_branch = Зареєструвати доставку до відділення банку
event-issue = Видати посвідчення
event-activate = Зареєструвати активацію
event-block = Заблокувати
event-unblock = Розблокувати
event-withdraw = Відкликати заяву
event-refuse = Відмовити у виготовленні
event-return_for_destruction = Прийняти посвідчення для знищення
event-declare_lost = Зареєструвати втрату
event-withdraw_by_bank = Зареєструвати вилучення банком
event-destroy = Зареєструвати знищення

## Refusals of `lifecycle::next`; {stage}, {event} and {form} are the names above, in the same language.
lifecycle-not_allowed = Дія «{ $event }» недоступна на етапі «{ $stage }».
lifecycle-wrong_form = Дія «{ $event }» не застосовується до посвідчення у формі «{ $form }».
lifecycle-stage_not_in_form = Етап «{ $stage }» не передбачений для посвідчення у формі «{ $form }»; перевірте дані.
lifecycle-already_final = Справу завершено на етапі «{ $stage }»; подальші дії неможливі.
lifecycle-too_late_to_withdraw = Заяву вже не можна відкликати: відомості передано на виготовлення.

## Names of the kinds of organisational units and of staff roles.
unit-central_fund = Пенсійний фонд України (центральний апарат)
unit-regional_office = Головне управління
unit-district_office = Управління в районі
unit-service_centre = Сервісний центр
unit-bank = Банк
unit-bank_branch = Відділення банку
unit-personalizer = Персоналізатор
unit-certification_centre = Центр сертифікації ключів
role-specialist = Спеціаліст сервісного центру
role-district_officer = Працівник управління в районі
role-regional_officer = Працівник головного управління
role-central_production_officer = Працівник виготовлення (центральний апарат)
role-transfer_responsible = Відповідальна особа з приймання-передавання
role-commission_member = Член комісії зі знищення
role-bank_operator = Оператор банку
role-personalizer_operator = Оператор персоналізатора
role-ca_operator = Оператор ЦСК
role-postal_digitizer = Працівник пошти з оцифрування
role-auditor = Аудитор
role-administrator = Адміністратор

## Messages of signature validation reports (ETSI EN 319 102-1 indications and the checks behind them), worded for a specialist who is not a cryptographer: what was checked and what it means.
verify-title = Перевірка підписів документа
verify-document = Документ
verify-no_signatures = У документі немає електронних підписів.
verify-signature_n = Підпис { $n }
verify-doc_timestamp_n = Позначка часу документа { $n }
verify-signer = Підписувач
verify-issuer = Видавець сертифіката
verify-claimed_time = Час підписання (за словами підписувача)
verify-proven_time = Час підписання (підтверджено позначкою часу)
verify-certificate_valid = Сертифікат чинний
verify-later_revisions = Після підписання документ змінювали { $n } раз(и)
verify-covers_whole = Підпис охоплює весь документ
verify-level = Рівень підпису
verify-technical = Технічні подробиці
verify-upload = Перевірити PDF
verify-upload_hint = Виберіть підписаний PDF-файл (до 20 МБ).
verify-download_json = Звіт у форматі JSON

## Verdicts.
verify-indication-TOTAL-PASSED = Підпис дійсний
verify-indication-TOTAL-FAILED = Підпис недійсний
verify-indication-INDETERMINATE = Не вдалося підтвердити підпис
verify-overall-TOTAL-PASSED = Усі підписи дійсні
verify-overall-TOTAL-FAILED = Документ має недійсний підпис
verify-overall-INDETERMINATE = Не всі підписи вдалося підтвердити

## Why (sub-indications).
verify-sub-FORMAT_FAILURE = Підпис пошкоджений або має неправильний формат.
verify-sub-HASH_FAILURE = Документ змінено після підписання.
verify-sub-SIG_CRYPTO_FAILURE = Значення підпису не відповідає ключу підписувача.
verify-sub-REVOKED = Сертифікат підписувача скасовано до підписання.
verify-sub-EXPIRED = Сертифікат підписувача закінчився до підписання.
verify-sub-NOT_YET_VALID = Сертифікат ще не діяв на час підписання.
verify-sub-SIG_CONSTRAINTS_FAILURE = Підпис не відповідає вимогам політики.
verify-sub-CHAIN_CONSTRAINTS_FAILURE = Сертифікат не призначений для такого підпису.
verify-sub-CRYPTO_CONSTRAINTS_FAILURE = Алгоритм підпису не підтримується або застарів.
verify-sub-CRYPTO_CONSTRAINTS_FAILURE_NO_POE = Строк дії алгоритму підпису минув, і жодна позначка часу, зроблена надійними алгоритмами, не доводить, що підпис існував раніше.
verify-sub-REVOKED_NO_POE = Сертифікат скасовано, а позначки часу, що доводить ранніше підписання, немає.
verify-sub-OUT_OF_BOUNDS_NO_POE = Сертифікат уже не чинний, а позначки часу, що доводить час підписання, немає.
verify-sub-NO_SIGNING_CERTIFICATE_FOUND = Сертифікат підписувача не знайдено.
verify-sub-NO_CERTIFICATE_CHAIN_FOUND = Сертифікат видано не довіреним центром сертифікації.
verify-sub-TRY_LATER = Немає актуального списку відкликаних сертифікатів; спробуйте пізніше.
verify-sub-SIGNED_DATA_NOT_FOUND = Підписаних даних не знайдено.

## Checks.
verify-check-format = Формат підпису
verify-check-byte_range = Охоплення документа підписом
verify-check-content_type = Тип підписаних даних
verify-check-message_digest = Цілісність документа
verify-check-signature = Значення підпису
verify-check-signing_certificate = Прив'язка сертифіката до підпису
verify-check-chain = Ланцюжок до довіреного центру
verify-check-validity = Строк дії сертифікатів
verify-check-chain_constraints = Повноваження центрів сертифікації
verify-check-key_usage = Призначення ключа
verify-check-algorithm = Алгоритми надійні на доведений час
verify-check-revocation = Статус відкликання
verify-check-timestamp = Позначка часу
verify-check-archive_timestamp = Архівна позначка часу (довгострокове підтвердження)
verify-check-timestamp_format = Формат позначки часу
verify-check-timestamp_imprint = Позначка часу стосується цього підпису
verify-check-other_signers = Інші підписувачі повідомлення
verify-check-countersignature = Контрасигнатура
verify-check-modifications = Що змінили пізніші редакції
verify-status-passed = так
verify-status-failed = ні
verify-status-warning = попередження
verify-status-skipped = не перевірялося
verify-signed_revision = Завантажити підписану редакцію (байти, які охоплює підпис { $n })

## Що змінила редакція, додана після підпису ($detail — поле, сторінка чи об'єкт).
verify-change-signature_added = Додано підпис ({ $detail })
verify-change-document_timestamp_added = Додано позначку часу документа ({ $detail })
verify-change-validation_data_added = Додано дані для перевірки (сертифікати, відомості про відкликання)
verify-change-metadata_updated = Оновлено метадані документа
verify-change-field_filled = Заповнено поле форми «{ $detail }»
verify-change-annotation_added = Додано коментар чи позначку на сторінці { $detail }
verify-change-annotation_changed = Змінено коментар чи позначку ({ $detail })
verify-change-annotation_removed = Вилучено коментар чи позначку зі сторінки { $detail }
verify-change-page_content_changed = Замінено текст або зображення сторінки ({ $detail })
verify-change-page_changed = Змінено сторінку ({ $detail })
verify-change-page_tree_changed = Сторінки додано, вилучено або переставлено ({ $detail })
verify-change-resource_changed = Перевизначено те, чим малюється сторінка (шрифт, зображення чи форму) ({ $detail })
verify-change-catalog_changed = Переписано структуру документа ({ $detail })
verify-change-action_added = Додано дію або сценарій ({ $detail })
verify-change-field_added = Додано поле форми ({ $detail })
verify-change-field_changed = Змінено визначення поля форми ({ $detail })
verify-change-locked_field_changed = Змінено поле форми «{ $detail }», заблоковане підписом
verify-change-signature_changed = Наявний підпис змінено або вилучено ({ $detail })
verify-change-object_removed = Вилучено об'єкт підписаного документа ({ $detail })
verify-change-bytes_after_end = Після кінця документа дописано дані ({ $detail })
verify-change-unreadable = Пізнішу редакцію неможливо прочитати
verify-change-not_allowed = не дозволено після цього підпису

## Errors of the trust-service commands and endpoints.
verify-error-not_pdf = Файл не є документом PDF.
verify-error-too_large = Файл завеликий.

## Messages about document sharing by code and consent (SPEC §2.1): what the specialist at the counter and the citizen in the wallet are told.
sharing-code-format = Код має складатися з 13 цифр.
sharing-code-checksum = Неправильна контрольна цифра коду — перепитайте код у відвідувача.
sharing-code-unknown = Немає запису з таким кодом. Попросіть відвідувача оновити код у застосунку.
sharing-code-expired = Строк дії коду минув (3 хвилини). Попросіть новий код.
sharing-code-used = Цей код уже використано. Кожен код діє лише один раз.
sharing-type_not_allowed = Це відділення не має права запитувати документ «{ $type }».
sharing-type_mismatch = Тип документа має бути «{ $type }»: код створено для іншого документа.
sharing-document_type-unknown = Невідомий тип документа: { $type }.
sharing-request-not_allowed = Запит у стані «{ $status }» вже не можна змінити.
sharing-request-unknown = Запит не знайдено. Спочатку надішліть запит на документ.
sharing-declined = Громадянин відмовився передавати документ.
sharing-hub_unreachable = Сервіс обміну документами недоступний. Запит збережено і буде повторено автоматично.
sharing-rate_limited = Забагато невдалих спроб введення коду. Зачекайте { $seconds } с і спробуйте знову.
sharing-doc-internal-passport = Паспорт громадянина України (ID-картка)
sharing-doc-taxpayer-card = Картка платника податків (РНОКПП)
sharing-doc-birth-certificate = Свідоцтво про народження
sharing-status-waiting_consent = Очікує згоди громадянина
sharing-status-approved = Згоду надано, документ надсилається
sharing-status-declined = Громадянин відмовив
sharing-status-expired = Строк очікування минув
sharing-status-delivered = Документ отримано
sharing-status-failed = Не вдалося доставити документ

## Texts of the fund's intake counter page and review queue.
intake-nav = Документи з гаманця
intake-title = Отримати документ за кодом
intake-lead = Попросіть відвідувача відкрити документ у застосунку і продиктувати 13 цифр під штрихкодом.
intake-code = Код (13 цифр)
intake-code-ok = Контрольна цифра правильна.
intake-document_type = Очікуваний документ
intake-send = Надіслати запит
intake-request = Запит на документ
intake-request_id = Ідентифікатор запиту
intake-requested_at = Запит надіслано
intake-delivered_at = Документ отримано
intake-status = Стан
intake-branch = Відділення
intake-recipient = Отримувач
intake-formed_at = Копію сформовано
intake-download = Завантажити копію (PDF)
intake-verdict = Перевірка підпису
intake-person = Особа
intake-unmatched = Особу не знайдено — копію передано до черги розгляду.
intake-new_request = Новий запит
intake-refresh = Оновити стан
intake-follow = Для громадянина: стежити за запитом
intake-follow_intro = Громадянин може відсканувати цей код телефоном і без входу побачити, чи отримав фонд документ.
intake-follow_link = Сторінка стану цього запиту
intake-followers = Отримують повідомлення про цей запит
intake-followers_caption = Підписки, зроблені за посиланням на стан
intake-status-submitting = Надсилається до сервісу обміну
intake-status-refused = Код не прийнято
intake-no_branch = Ваш підрозділ не зареєстровано як відділення в сервісі обміну документами.
intake-not_configured = Обмін документами не налаштовано на цьому сервері.
intake-hub_refused = Сервіс обміну документами відхилив запит: { $detail }
intake-delivery_failed = Не вдалося прийняти документ: { $detail }
intake-review-title = Черга розгляду отриманих копій
intake-review-empty = Черга порожня.
intake-review-assign = Прикріпити до особи
intake-review-person_id = Ідентифікатор особи (UUID)
intake-review-already = Копію вже прикріплено до особи.
intake-review-assigned = Копію прикріплено до особи.
intake-delivery-malformed = Неправильна доставка: бракує частини «{ $part }».
intake-delivery-not_for_us = Пакет зашифровано не для цього відділення.
intake-delivery-undecryptable = Пакет не вдалося розшифрувати.
intake-delivery-bad_signature = Підпис сервісу обміну на пакеті недійсний.
intake-delivery-wrong_signer = Пакет підписав не довірений сервіс обміну.
intake-delivery-bad_metadata = Метадані пакета не відповідають очікуваному формату.
intake-delivery-unknown_request = Фонд не надсилав такого запиту.
intake-delivery-trace_mismatch = Ідентифікатор запиту в заголовку і в метаданих не збігаються.
intake-delivery-barcode_mismatch = Код у пакеті не збігається з кодом запиту.
intake-delivery-branch_mismatch = Пакет сформовано для іншого відділення.
intake-delivery-acquirer_mismatch = Пакет сформовано для іншого отримувача.
intake-delivery-type_mismatch = У пакеті інший тип документа, ніж запитано.
intake-delivery-not_live = Запит уже завершено ({ $status }); документ не прийнято.
intake-hub-bad_request = Сервіс обміну не зрозумів запит.
intake-hub-unauthorized = Сервіс обміну не впізнав фонд (перевірте токен).
intake-hub-duplicate = Такий запит уже надіслано.

## The card exchange with the bank, the personalizer and the certification centre (regulation 26-1, §IV).
card-party-fund = Пенсійний фонд
card-party-bank = Банк
card-party-personalizer = Персоналізатор
card-party-certification_centre = Центр сертифікації ключів
card-not_found = Картку не знайдено серед карток, з якими працює ваша організація.
card-not_your_step = Етап «{ $event }» повідомляє інша сторона, а не «{ $party }».
card-held = Заяву { $application } зупинено перевіркою на дублікати: центральний орган звільняє її (і вона йде до банку) або відмовляє на сторінці виготовлення.
card-not_a_card_step = «{ $event }» не є етапом обміну щодо картки.
card-identification-mismatch = Не збігається з даними Пенсійного фонду.
card-identification-required = Відкриваючи рахунок і видаючи картку, банк передає ідентифікаційні дані власника.
card-issue-instruction_required = Разом із карткою власникові видають інструкцію щодо її використання.
card-identification-unmatched = Ключі сертифікуються лише після збігу ідентифікаційних даних банку з даними фонду.
card-keys-too_few = На чип записується щонайменше { $min } пари ключів.
card-keys-too_many = Не більше { $max } запитів для однієї картки.
card-keys-repeated = Цей ключ уже є в запиті.
card-keys-invalid_request = Запит не є самопідписаним запитом на сертифікат з доказом володіння ключем.
card-keys-missing = Персоналізатор ще не подав запити на сертифікацію ключів цієї картки.
card-number-invalid = Номер картки — цифри групами через один пробіл або дефіс, від 4 до 19 знаків.
card-number-differs = Картку вже персоналізовано з іншим номером: зворотний бік друкується з записаним номером.
card-face-okzo_missing = Для картки потрібен номер облікової картки застрахованої особи (ОКЗО): додайте його в реєстрі.
card-face-photo_missing = Для картки потрібне фото особи (зона 3): завантажте його в досьє.
card-face-signature_missing = Для картки потрібен зразок підпису особи (зона 6): завантажте його в досьє.
card-face-unreadable = Дані персоналізації цієї картки записано в старому форматі; надішліть їх персоналізатору знову.
card-statement-invalid = Заява про крок має бути JSON-об’єктом звіту (event та дані кроку).
card-statement-other_card = Підписана заява стосується іншої картки.
card-partner_signature-invalid = Підпис не перевірено: він не відповідає заяві або сертифікат недійсний чи відкликаний.
card-partner_signature-not_yours = Заяву підписано сертифікатом, який центр не видавав вашій організації для підписання документів.
card-partner_signature-required = Звіт партнера має бути підписаний власним підписом організації (statement і signature).
card-seal_missing = Печатка фонду не налаштована: обмін із банком і персоналізатором неможливий.

## Refusals of the production rules (regulation 26-1, §§ I.4, III, V).
production-commission-too_few = Комісія зі знищення має складатися щонайменше з { $min } осіб.
production-commission-chair = Комісію очолює керівник територіального органу.
production-commission-not_appointed = Член комісії не призначений наказом на цю дату.
production-act-unsigned = Акт ще не підписали всі члени комісії (бракує підписів: { $count }).
production-issue-identity_document = Зазначте документ, що посвідчує особу отримувача.
production-issue-status_document = Законний представник пред'являє документ, що підтверджує його повноваження.
production-issue-tax_registration = Представник-резидент пред'являє документ про реєстрацію у ДРФО (РНОКПП).
production-batch-wrong_unit = Цей підрозділ не подає пакети на цьому рівні.
production-appointment-period = Кінець призначення не може передувати його початку.
production-appointment-fund_only = Наказом призначають працівників органів Пенсійного фонду.
production-act-empty = Акт має містити хоча б одне посвідчення.
production-produce-nothing = Зазначте посвідчення для виготовлення або пакет.
production-act-wrong_direction = Акти приймання-передачі складаються від центрального апарату до головного управління в області і від нього до підпорядкованого району.
production-act-not_responsible = Акт підписує відповідальна особа підрозділу, призначена наказом.
production-act-other_unit = Посвідчення { $certificate } належить іншому підрозділу.
production-act-wrong_stage = Посвідчення { $certificate } зараз не може бути внесене до цього акта.
production-certificate-on_open_act = Посвідчення { $certificate } внесене до незавершеного акта { $act }: доки акт не завершено, з ним нічого іншого робити не можна (ні видати, ні передати, ні внести до іншого акта).
production-act-not_open = Акт уже закрито.
production-act-not_member = Акт підписують лише члени комісії.
production-issue-not_received = Посвідчення ще не прийняте за актом до журналу видачі.
production-issue-other_office = Посвідчення видає { $office } — орган, зазначений у заяві; працівники іншого органу видати його не можуть.
production-issue-signature = Потрібен підпис отримувача: позначка з обліковими даними фахівця або зображення підпису.
production-hold-none = Посвідчення не затримане перевіркою на дублікати.

## Що громадянин бачить про документ, який для нього виготовляють (tracking).
tracking-milestone-accepted = Заяву прийнято
tracking-milestone-being_checked = Ваші дані перевіряються
tracking-milestone-in_production = Виготовляється
tracking-milestone-on_its_way = Виготовлено, прямує до вашого управління
tracking-milestone-ready = Готове до видачі
tracking-milestone-issued = Видано
tracking-milestone-activated = Картку активовано
tracking-milestone-blocked = Картку заблоковано банком
tracking-milestone-ended = Більше не використовується
tracking-milestone-application_withdrawn = Заяву відкликано
tracking-milestone-refused = Не виготовлено: зверніться, будь ласка, до вашого управління
tracking-milestone-consent_awaited = Запит надіслано: очікує вашої згоди в застосунку
tracking-milestone-being_delivered = Згоду надано: копія прямує до фонду
tracking-milestone-received = Фонд отримав ваш документ
tracking-milestone-not_shared = Не поширено: відхилено або не підтверджено вчасно
tracking-milestone-not_received = Не отримано: зверніться, будь ласка, до управління
tracking-estimate = Очікувана дата готовності — { $date }
tracking-estimate_revised = Ми запізнюємося, просимо вибачення: тепер очікувана дата — { $date }
tracking-number_format = Введіть номер заяви, як у вашій розписці, наприклад З-2026-0000042.
tracking-not_found = Документа з таким номером і датою народження не знайдено. Перевірте обидва та спробуйте ще раз.
tracking-limited = Забагато невдалих спроб. Спробуйте, будь ласка, пізніше.
tracking-birth_date_format = Оберіть дату народження.
tracking-code_invalid = Цей код не підходить. Введіть номер заяви та дату народження.

## Notifications
notify-unavailable = Повідомлення на цьому сервері не налаштовано.
notify-channel_unavailable = Цей спосіб повідомлень зараз недоступний.
notify-email_format = Введіть адресу електронної пошти, наприклад olena@ukr.net.
notify-link_invalid = Посилання недійсне: його вже використано, строк його дії сплив або його скопійовано не повністю.
notify-webhook_url = Вкажіть повну адресу https://… системи, яка прийматиме повідомлення.
notify-too_many_pending = Кілька підписок на цей документ ще очікують підтвердження. Підтвердьте одну з них або спробуйте пізніше.
notify-about_application = заяву { $case }
notify-about_document = документ «{ $type }», яким ви поділилися зі свого гаманця
notify-case_ended = Цей запит завершено: нових повідомлень про нього не буде.
notify-not_dead = Повторно надіслати можна лише повідомлення, яке не вдалося доставити.
vn_citizen_id-format = Персональний ідентифікаційний номер має містити { $len } цифр.
vn_citizen_id-province = Перші три цифри персонального ідентифікаційного номера не є кодом провінції (001–096).
vn_citizen_id-birth_mismatch = Дата народження не узгоджується з персональним ідентифікаційним номером (у ньому — { $year }).
vn_citizen_id-sex_mismatch = Стать не узгоджується з персональним ідентифікаційним номером.
vn_insurance_code-format = Код соціального страхування має містити { $len } цифр.
digitization-agency_code = Код установи записують як 000.00.31.H29: три групи цифр, потім велика латинська літера і дві цифри.
digitization-dossier_code = Код справи записують як 000.00.31.H29-230405-0007: код установи, дата надходження (РРММДД) і номер за день.
digitization-result_scheme_unclosed = У схемі коду результату оцифрування є незакрита дужка "{ "{" }".
digitization-result_scheme_placeholder = Схема коду результату оцифрування може містити лише { "{dossier}" }, { "{n}" } і { "{n:1}" }–{ "{n:4}" }.
digitization-result_scheme_characters = Поза підстановками схема коду результату оцифрування може містити лише латинські літери, цифри, ".", "-" і "_".
digitization-result_scheme_once = Схема коду результату оцифрування має містити { "{dossier}" } і { "{n}" } рівно по одному разу.
digitization-result_scheme_length = Схема коду результату оцифрування дає коди, довші за 64 символи.
digitization-day_full = Установа сьогодні вже відкрила 9 999 справ — стільки номерів код справи має на день.
scan-too_large = Сторінка завелика для обробки: не більше { $max } пікселів по довшій стороні.
scan-too_small = Сторінка замала, щоб на ній можна було прочитати текст.
scan-no_resolution = Скан не вказує роздільну здатність; відскануйте знову з роздільною здатністю від { $min } dpi.
scan-low_resolution = Роздільна здатність скану { $dpi } dpi; потрібно щонайменше { $min } dpi.
scan-needs_colour = Скануйте в кольорі: печатки й підписи мають зберегти колір.
scan-needs_grey = Скануйте в кольорі або відтінках сірого, не в чорно-білому режимі.
digitization-birth_certificate_no = Серія і номер свідоцтва про народження мають вигляд І-БК 123456: римська цифра, дві літери, шість цифр.
digitization-name_letters = Ім’я може містити лише літери та пробіли.
digitization-guessed_characters = Деякі символи не були цифрами, і їх прочитано як цифри; звірте зі сканом.
digitization-low_confidence = Розпізнано з упевненістю { $confidence } % — замало, щоб прийняти без перевірки.
digitization-not_found = На скані не знайдено.
digitization-unzr_birth_mismatch = Дата народження не узгоджується з УНЗР.
digitization-register_disagrees = У реєстрі фонду для цієї особи записано інше: звірте документ з її обліковою карткою.
digitization-dossier_full = Справа вже містить 9 999 документів.
digitization-not_in_review = Це поле не чекає рішення (його вже прийнято або вирішено) або в ньому немає прочитаного значення для підтвердження — введіть значення.
digitization-not_configured = Оцифрування на цьому сервері не налаштовано ([digitization] у конфігурації).
digitization-seal_digitized = Оцифровано { $time }
digitization-seal_missing = На цьому сервері не налаштовано печатку документів, тож підписану копію зробити неможливо.
digitization-applicant = Номер документа заявника — від 4 до 20 літер і цифр (пропуски й дефіси не враховуються).
digitization-receipt-title = Розписка про приймання документів для оцифрування
digitization-receipt-code = Код справи
digitization-receipt-procedure = Процедура
digitization-receipt-applicant = Номер документа заявника
digitization-receipt-received = Прийнято
digitization-receipt-documents = Прийняті й оцифровані документи
digitization-receipt-col_no = №
digitization-receipt-col_code = Код результату оцифрування
digitization-receipt-col_paper = Документ
digitization-receipt-col_pages = Сторінок
digitization-receipt-mark = Документи прийнято
digitization-receipt-officer = Прийняв
digitization-receipt-signature = Підпис
digitization-receipt-qr = QR-код
digitization-receipt-scan = містить код справи, процедуру, заявника, документи, систему й час видачі
digitization-result_not_yet = Підписана копія з’явиться, щойно буде розпізнано всі сторінки; деякі ще чекають.
digitization-reuse_not_ready = Дані цього документа можна взяти, щойно всі поля буде перевірено; деякі ще чекають перевірки.
digitization-procedure = Вкажіть код процедури: літери, цифри, ".", "-" або "_", не більше 64 символів.
digitization-no_pages = Додайте хоча б одну відскановану сторінку.
digitization-too_many_pages = Документ може мати не більше { $max } сторінок.
scan-too_large_file = Файл більший, ніж може бути відсканована сторінка (30 МБ).
scan-not_an_image = Файл не є зображенням PNG, JPEG або TIFF чи PDF зі сканованими сторінками.
scan-damaged = Зображення пошкоджене, його неможливо прочитати.
scan-pdf_damaged = PDF неможливо прочитати.
scan-pdf_encrypted = PDF зашифровано; відскануйте папір ще раз без пароля.
scan-pdf_no_pages = У PDF немає сторінок.
scan-pdf_not_a_scan = Сторінка { $page } PDF не є сканованим зображенням (одне зображення JPEG або сіре чи кольорове зображення Flate на всю сторінку); відскануйте папір або надішліть сторінки як зображення.
digitization-kind-ua_id_card = ID-картка громадянина України
digitization-kind-ua_taxpayer_card = Картка платника податків (РНОКПП)
digitization-kind-ua_birth_certificate = Свідоцтво про народження (Україна)
digitization-kind-vn_citizen_id_card = Картка громадянина В’єтнаму (CCCD)
digitization-kind-vn_insurance_book = Книжка соціального страхування В’єтнаму
digitization-kind-vn_registration_form = Заява на соціальне страхування В’єтнаму (TK1-TS)
digitization-field-surname = Прізвище
digitization-field-given_name = Ім’я
digitization-field-patronymic = По батькові
digitization-field-full_name = Повне ім’я
digitization-field-sex = Стать
digitization-field-birth_date = Дата народження
digitization-field-document_number = Номер документа
digitization-field-expiry_date = Дійсний до
digitization-field-unzr = УНЗР
digitization-field-rnokpp = РНОКПП
digitization-field-citizen_id = Персональний ідентифікаційний номер
digitization-field-insurance_code = Код соціального страхування
digitization-field-address = Адреса

## Пенсійні калькулятори (issue 21): чому розрахунок не дає пенсії, і відхилені дані.
calculator-short_record = Стаж закороткий: право на пенсію дає щонайменше { $years } років страхового стажу.
calculator-few_points = Замало пенсійних балів: право дає щонайменше { $points }.
calculator-birth_date_too_early = Перевірте дату народження: понад 110 років тому.
calculator-wage_months_past_record = Місяців у коефіцієнті заробітної плати не може бути більше, ніж місяців стажу.
calculator-not_a_number = Введіть число: цифри, дробову частину — після крапки або коми.

## Записи на прийом (issue 21 §6): послуги і чому час не можна забронювати чи змінити.
appointment-service-pension_assignment = Призначення пенсії
appointment-service-recalculation = Перерахунок або переведення пенсії
appointment-service-certificate = Пенсійне посвідчення
appointment-service-documents = Подання або отримання документів
appointment-service-consultation = Консультація
appointment-not_a_slot = Офіс не приймає в цей час; оберіть один із запропонованих.
appointment-too_soon = На цей час записатися вже запізно; оберіть пізніший.
appointment-too_far = Цей день ще задалеко; запис відкривається за { $days } днів.
appointment-full = Усі місця на цей час зайняті; оберіть інший час.
appointment-too_late_to_change = До прийому менше 24 годин: перенести чи скасувати його тут уже не можна. Зателефонуйте до офісу.
appointment-not_live = Запис скасовано; запишіться знову.
appointment-code_invalid = Запису з таким кодом немає. Перевірте код із підтвердження.
appointment-code_format = Код запису — десять літер і цифр, наприклад ABCDE-23456.
appointment-pick_time = Оберіть один із вільних часів.
appointment-phone = Вкажіть номер телефону з кодом оператора, наприклад 067 123 45 67.
appointment-contact_needed = Вкажіть e-mail або номер телефону, щоб офіс міг з вами зв’язатися.
appointment-too_many = На цю адресу вже є { $max } майбутніх записи; скасуйте один, щоб записатися ще.

# Citizens signing in through the identity provider
account-login_unavailable = Служба ідентифікації зараз недоступна. Спробуйте трохи пізніше.
account-login_failed = Вхід не вдався: відповідь служби ідентифікації не пройшла перевірку. Спробуйте ще раз.
account-login_expired = Цей вхід уже використано або він застарів. Почніть вхід знову.
account-login_limited = Забагато спроб входу звідси за короткий час. Спробуйте знову за чверть години.
account-login_declined = Ви відмовилися передати свої дані, тож вхід не відбувся.

# The pension record: employers' reports and the record
record-employer_code = Код роботодавця — 8 цифр ЄДРПОУ або 10 цифр РНОКПП.
record-employer_checksum = Код ЄДРПОУ не проходить перевірку контрольної цифри.
record-month = Місяць пишіть як РРРР-ММ, наприклад 2026-03.
record-amount = Суму пишіть цифрами, до копійок: 12345.67.
record-unknown_column = Невідомий стовпець «{ $column }». Очікувані: { $expected }.
record-duplicate_column = Стовпець «{ $column }» повторюється.
record-missing_column = Бракує стовпця «{ $column }».
record-date_outside_month = Дата має бути в межах звітного місяця.
record-in_future = Дата ще не настала.
record-period_reversed = Кінець періоду раніше за його початок.
record-period_before_birth = Період раніше за дату народження особи.
record-period_overlaps = Особа вже працює в цього роботодавця: період перетинається з наявним.
record-unknown_person = Особи з таким РНОКПП немає в реєстрі фонду.
record-month_already_reported = Цей місяць уже звітовано для цієї особи цим роботодавцем.
record-no_open_period = Звільнення без відкритого періоду роботи в цього роботодавця.
record-unknown_employer = Такого роботодавця не зареєстровано.
record-correction_closed = На це звернення вже відповіли.
record-year = Рік — чотири цифри, не раніше 1950 і не пізніше поточного.
record-length = { $years } р. { $months } міс. { $days } дн.
record-activity-employment = Робота за наймом
record-activity-self_employment = Самозайнятість
record-activity-military = Військова служба
record-activity-child_care = Догляд за дитиною
record-activity-unemployment = Безробіття

# Questions without registration
question-subject-pension = Призначення пенсії
question-subject-record = Страховий стаж і заробіток
question-subject-certificate = Пенсійне посвідчення
question-subject-payments = Виплата пенсії
question-subject-other = Інше
question-subject_required = Оберіть, про що ваше запитання.
question-too_short = Опишіть запитання докладніше: щонайменше { $min } символів.
question-code_format = Номер звернення — десять літер і цифр, як ABCDE-23456.
question-code_invalid = Звернення з таким номером не знайдено.
question-answered_already = На це запитання вже відповіли.
question-about = ваше запитання

# Statements on demand
statement-fund = Пенсійний фонд України
statement-title = Виписка з індивідуального рахунку застрахованої особи
statement-person = Застрахована особа
statement-tax_id = РНОКПП
statement-birth = Дата народження
statement-record_length = Страховий стаж
statement-issued = Сформовано
statement-years = Заробіток і сплачені внески за роками
statement-col_year = Рік
statement-col_wage = Заробіток
statement-col_contribution = Внески
statement-col_months = Міс.
statement-mark = Перевірка документа
statement-code = Код перевірки
statement-verify = Перевірити на сторінці
statement-qr = QR-код
statement-scan = Скануйте, щоб перевірити й отримати оригінал з підписом фонду
statement-code_format = Код перевірки — десять літер і цифр, як ABCDE-23456.
statement-code_invalid = Документа з таким кодом перевірки фонд не видавав.

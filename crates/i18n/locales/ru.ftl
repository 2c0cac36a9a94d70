### Dossier message catalogue — Russian.
### The domain's messages: errors and the names of the codes it defines (roles, units, statuses).
### Message ids are the code's keys with "." written as "-" (common.required → common-required).

## The language itself, as its speakers name it (the language switcher shows it).
language-name = Русский

## Messages shared by every part of the system.
common-required = Обязательное поле.
common-too_long = Слишком длинно: не более { $max } символов.
common-invalid_date = Дата должна быть в формате ГГГГ-ММ-ДД.
common-invalid_datetime = Время должно быть в формате ГГГГ-ММ-ДДTЧЧ:ММ, например 2026-12-08T10:30.
common-date_in_future = Дата не может быть в будущем.
common-unknown_value = Неизвестное значение «{ $value }».
common-unknown_message = Сообщение, неизвестное этой версии.
common-concurrent_change = Кто-то изменил это в тот же момент; попробуйте еще раз.
common-out_of_range = Значение должно быть от { $min } до { $max }.
common-not_found = Не найдено.
common-forbidden = Недостаточно прав для этого действия.
common-unauthenticated = Необходимо войти в систему.
common-malformed_json = Некорректный JSON: { $detail }
common-malformed_request = Некорректный запрос: { $detail }
common-payload_too_large = Слишком большой запрос.
common-validation_failed = Данные не прошли проверку.
common-conflict = Конфликт с имеющимися данными.
document-changed = Документ тем временем был изменен; ничего не записано.
common-internal = Внутренняя ошибка. Повторите попытку позже; событие записано.
common-rate_limited = Слишком много попыток. Повторите попытку позже.
common-csrf = Форма устарела или подделана. Обновите страницу и попробуйте еще раз.
common-unsupported_media = Неподдерживаемый тип данных: { $detail }
common-bad_encoding = Строка не в кодировке UTF-8.
common-unprintable = Символ { $char } нельзя напечатать в документе: допускаются только украинские и латинские буквы, цифры и обычные знаки препинания.
common-repeated_item = «{ $item }» указано более одного раза; каждый элемент указывается один раз.
auth-bad_credentials = Неверный логин или пароль.
auth-locked = Учетная запись временно заблокирована после нескольких неудачных попыток. Повторите попытку позже.
org-bad_parent = Такое подразделение не может быть подчинено выбранному.
org-code_taken = Подразделение с таким кодом уже существует.
staff-login_taken = Такой логин уже занят.
tsa-not_configured = Служба меток времени на этом сервере не настроена.

## Messages about identifiers (SPEC §3).
rnokpp-format = РНУКПН должен состоять из { $len } цифр.
rnokpp-checksum = Неверная контрольная цифра РНУКПН — проверьте номер.
rnokpp-birth_mismatch = Дата рождения не совпадает с РНУКПН (по номеру — { $date }).
rnokpp-sex_mismatch = Пол не совпадает с РНУКПН.
unzr-format = УНЗР имеет вид ГГГГММДД-ННННК.
unzr-date = УНЗР содержит несуществующую дату.
unzr-checksum = Неверная контрольная цифра УНЗР.
passport-format = Паспорт: две украинские заглавные буквы и шесть цифр (напр. КВ123456).
id_card-format = Номер ID-карты — { $len } цифр.
okzo-format = Номер ОКЗО — до 10 цифр (дополняется ведущими нулями).
account-format = Номер лицевого счета — от 1 до { $max } цифр.

## Messages about people and representatives.
name-letters = Недопустимый символ «{ $char }»: допускаются только украинские буквы, апостроф и дефис.
name-separator = Апостроф, дефис или пробел не могут стоять в начале, в конце или подряд.
person-birth_too_early = Дата рождения ранее 1900 года.
person-rnokpp_required = Укажите РНУКПН или отметьте отказ от него по религиозным убеждениям.
person-rnokpp_with_refusal = Лицо отказалось от РНУКПН — номер не сохраняется.
person-passport_required_for_refusal = Для лица, отказавшегося от РНУКПН, необходимы серия и номер паспорта.
person-unzr_birth_mismatch = Дата в УНЗР не совпадает с датой рождения.
person-id_card_expiry_without_card = Срок действия указан, а номера ID-карты нет.
person-duplicate = Лицо с таким РНУКПН или паспортом уже есть в реестре.
person-photo_not_image = Фото должно быть изображением JPEG или PNG.
person-photo_too_large = Фото слишком большое: не более { $max } КБ.
person-photo_too_small = Фото слишком маленькое: не менее { $w }×{ $h } пикселей.
person-signature_not_image = Образец подписи должен быть изображением JPEG или PNG.
person-signature_too_large = Образец подписи слишком большой: не более { $max } КБ.
person-signature_too_small = Образец подписи слишком маленький: не менее { $w }×{ $h } пикселей.
sex-male = мужской
sex-female = женский
capacity-full = полная дееспособность
capacity-limited = ограниченная дееспособность
capacity-incapacitated = недееспособное лицо
rep-parent = отец/мать
rep-adoptive_parent = усыновитель
rep-parent_educator = отец-воспитатель / мать-воспитательница
rep-foster_parent = приемный отец / приемная мать
rep-patronage_educator = патронатный воспитатель
rep-guardian = опекун
rep-custodian = попечитель
rep-institution = учреждение (орган опеки и попечительства)
rep-proof_required = Укажите документ, подтверждающий статус представителя.
rep-resident_needs_rnokpp = Представитель-резидент предъявляет документ о регистрации плательщика налогов — укажите РНУКПН.
person-unit_not_district = Лицо состоит на учете в управлении в районе — выберите управление.
import-missing_column = В заголовке CSV нет столбца «{ $column }».
import-malformed_row = Не удается прочитать строку CSV (кавычки или разделители).
import-empty = В файле нет ни одной строки с данными.

## Messages of the pension-certificate application (regulation 26-1).
application-issue_unit_not_office = Бумажное удостоверение выдает орган Пенсионного фонда — выберите управление или сервисный центр.
application-issue_unit_not_bank_branch = Электронное удостоверение выдает отделение банка — выберите отделение.
application-idp_gets_card = Внутренне перемещенным лицам выдается электронное пенсионное удостоверение (карта).
application-disability_required = Для пенсии по инвалидности укажите группу и причину инвалидности.
application-term_in_past = Срок должен быть в будущем.
application-representative_required = За несовершеннолетнее, недееспособное или ограниченно дееспособное лицо заявление подает законный представитель — выберите его.
application-representative_unknown = Такой представитель у лица не зарегистрирован.
application-representative_inactive = Полномочия этого представителя прекращены.
application-duplicate = Уже есть действующее удостоверение или заявление по этому виду пенсии: { $reference } (этап: { $stage }).
application-card_holder_no_paper = Лицу с электронным пенсионным удостоверением ({ $reference }) бумажное не выдается.
application-paper_holder_card_in_its_place = У лица есть бумажное пенсионное удостоверение ({ $reference }): электронное изготавливается только взамен него — подайте заявление на карту как на замену этого удостоверения.
application-subgroup_only_group_one = Подгруппа (А или Б) бывает только в I группе.
application-child_with_disability_age = «Ребенок с инвалидностью» — только лицо в возрасте до 18 лет.
application-minor_is_child_with_disability = Для лица в возрасте до 18 лет причина — «ребенок с инвалидностью».
application-child_of_war_birth = «Ребенок войны» — лицо, которому на 2 сентября 1945 года было меньше 18 лет.
application-previous_disposition_required = Предыдущее удостоверение должно быть возвращено, либо должно быть заявлено о его утере.
application-lost_cannot_be_returned = Утерянное удостоверение не может быть возвращено — отметьте «заявлено об утере».
application-previous_not_found = Предыдущее удостоверение этого лица не найдено.
application-previous_not_held = Удостоверение { $reference } еще не выдано или уже недействительно — его нельзя заменить.
application-payment_system_required = Выберите платежную систему карты: международную или национальную.
application-payment_system_card_only = Платежную систему выбирают только для карты.
payment_system-international = международная платежная система
payment_system-national = национальная платежная система «ПРОСТІР»
application-term_extended_card_only = В связи с продлением срока изготавливается новая карта: заменить можно только карту картой.
application-term_not_extended = Срок в заявлении должен быть более поздним, чем срок предыдущей карты ({ $date }), либо должна устанавливаться инвалидность.
application-term_not_fixed = Предыдущая карта выдана без срока пенсии: продлевать нечего, разве что установлена инвалидность.
application-other_kind_must_differ = Замена в связи с другим видом пенсии: вид пенсии должен отличаться от предыдущего.
application-replacement_same_kind = При замене по этой причине сохраняется вид пенсии предыдущего удостоверения.
application-not_amendable = Заявление уже в изготовлении — изменить или отозвать его нельзя.
application-until = до
pension-old_age = по возрасту
pension-disability = по инвалидности
pension-loss_of_breadwinner = в случае потери кормильца
pension-long_service = за выслугу лет
disability_group-1 = I группа
disability_group-2 = II группа
disability_group-3 = III группа
disability_subgroup-a = подгруппа А
disability_subgroup-b = подгруппа Б
disability_cause-general_disease = общее заболевание
disability_cause-from_childhood = инвалидность с детства
disability_cause-work_injury = трудовое увечье
disability_cause-occupational_disease = профессиональное заболевание
disability_cause-war = инвалидность вследствие войны
disability_cause-child_with_disability = ребенок с инвалидностью
disability_cause-child_of_war = ребенок войны
disability_cause-army = инвалидность вследствие службы в армии
disability_cause-chornobyl_liquidator = инвалидность ликвидатора последствий аварии на ЧАЭС
disability_cause-chornobyl_victim = инвалидность пострадавшего от аварии на ЧАЭС
disability_cause-revolution_of_dignity = инвалидность вследствие Революции Достоинства
impairment-hearing = по слуху
impairment-sight = по зрению
impairment-musculoskeletal = опорно-двигательный аппарат

## The disability entry printed on the certificate (§II.3, item 7): "{ $group }" is a Roman numeral,
## "{ $cause }" the cause and "{ $impairment }" the nosological form, when there is one.
## Russian writes Roman numerals with the Latin letter I; the subgroups are the Cyrillic letters А and Б.
certificate-group_numeral-1 = I
certificate-group_numeral-2 = II
certificate-group_numeral-3 = III
certificate-subgroup_letter-a = А
certificate-subgroup_letter-b = Б
certificate-disability = лицо с инвалидностью { $group } группы
certificate-disability_subgroup = лицо с инвалидностью подгруппы { $subgroup } { $group } группы
service_body-derzhspetszviazku = Госспецсвязи
service_body-dps = ГНС
service_body-dkvs = ГУИС
service_body-dsns = ГСЧС
service_body-dfs = ГФС
service_body-mvs = МВД
service_body-mininfrastruktury = Мининфраструктуры
service_body-minoborony = Минобороны
service_body-natsionalna_hvardiia = Национальная гвардия
service_body-natsionalna_politsiia = Национальная полиция
service_body-sbu = СБУ
service_body-szr = Служба внешней разведки
service_body-udo = УГО
replacement-unusable = удостоверение непригодно для использования
replacement-lost = удостоверение утеряно
replacement-term_extended = продлен срок пенсии или установлена (продлена) инвалидность
replacement-other_pension_kind = назначен другой вид пенсии
replacement-representative_changed = изменились обстоятельства опеки (попечительства)
form-paper = бумажное
form-card = электронное (платежная карта)
application-replacement_fixed = Данные о замене не изменяются — отзовите заявление и подайте новое.

## Messages of the certification centre: profiles, the registry checks (SPEC §2.2, §2.4 §IV), requests, revocation.

## Profiles.
cert_profile-qes_id_card = Квалифицированная подпись на ID-карте
cert_profile-card_key = Ключ электронного пенсионного удостоверения
cert_profile-agency_encryption = Шифрование (учреждение)
cert_profile-document_signing = Подписание документов (учреждение)
cert_profile-time_stamping = Метки времени

## Registry checks.
certification-refused = Сертификат не может быть сформирован.
certification-validity_positive = Срок действия — не менее одного дня.
certification-validity_beyond_profile = Срок действия сертификата этого вида — не более { $max } дней.
certification-person_profile_for_unit = Ключи квалифицированной подписи и ключи карты сертифицируются только для лица, а не для подразделения.
certification-unit_profile_for_person = Сертификаты шифрования, подписания документов и меток времени выдаются только подразделениям, а не лицам.
certification-qes_adults_only = Квалифицированная подпись на ID-карте — только для лиц, достигших 18 лет.
certification-qes_no_id_card = В реестре нет ID-карты лица.
certification-qes_id_card_expiry_unknown = Неизвестно, до какой даты действительна ID-карта: внесите срок действия в реестр.
certification-qes_id_card_expired = Срок действия ID-карты истек { $date }.
certification-qes_beyond_id_card = Сертификат не может действовать дольше ID-карты (до { $date }, то есть не более { $days } дней).
certification-card_application_required = Ключи карты сертифицируются только по заявлению на электронное удостоверение: укажите заявление.
certification-card_application_other_person = Это заявление принадлежит другому лицу.
certification-card_application_not_card = Это заявление на бумажное удостоверение: ключи сертифицируются только для карты.
certification-card_application_wrong_stage = Ключи сертифицируются после того, как они сгенерированы; заявление находится на этапе «{ $stage }».
certification-card_key_beyond_card = Ключ не может действовать дольше карты (до { $date }, то есть не более { $days } дней).

## Requests and the centre itself.
ca-not_configured = Центр сертификации не настроен: выполните «dossier ca init» и задайте DOSSIER_CA_PIN.
ca-csr_malformed = Запрос на сертификат поврежден или не в формате PKCS#10.
ca-csr_bad_signature = Подпись запроса не проходит проверку: владение личным ключом не доказано.
ca-csr_unsupported = Алгоритм запроса не поддерживается (требуется ECDSA P-256 или P-384).
ca-csr_weak_algorithm = Запрос подписан с SHA-1, который не принимается в новых подписях (ETSI TS 119 312): подпишите его с SHA-256, SHA-384 или SHA-512.
ca-subject_required = Укажите ровно одного субъекта: лицо или подразделение.
ca-person_not_found = Лицо не найдено в реестре.
ca-unit_not_found = Подразделение не найдено.
ca-card_application_not_found = Заявление не найдено.
ca-already_revoked = Сертификат уже отозван.
ca-serial_format = Серийный номер — шестнадцатеричные цифры.
ca-issue_failed = Центру сертификации не удалось подписать сертификат.

## Revocation reasons (RFC 5280 §5.3.1).
revocation-unspecified = Без указания причины
revocation-key_compromise = Компрометация ключа
revocation-ca_compromise = Компрометация ключа центра
revocation-affiliation_changed = Изменение данных владельца
revocation-superseded = Заменен новым
revocation-cessation_of_operation = Прекращение деятельности
revocation-certificate_hold = Блокирование
revocation-privilege_withdrawn = Отзыв полномочий

## Messages of the certificate life cycle (regulation 26-1, §§ III–V): certificate forms, stage names, event names (button labels) and refusals.

## Forms of a certificate.
certificate_form-paper = Бумажное удостоверение
certificate_form-card = Электронное удостоверение (платежная карта)

## Stages.
stage-accepted = Заявление принято
stage-submitted_to_region = Сведения поданы в главное управление Фонда
stage-submitted_to_central = Сведения поданы в Пенсионный фонд Украины
stage-duplicate_hold = Изготовление приостановлено: возможное дублирование удостоверения
stage-in_production = Удостоверение изготавливается
stage-produced = Удостоверение изготовлено
stage-at_region = Удостоверение передано в главное управление Фонда
stage-at_district = Удостоверение поступило в орган Фонда и готово к выдаче
stage-sent_to_bank = Заявление передано в банк
stage-account_opened = Банк открыл счет
stage-at_personalizer = Сведения переданы персонализатору
stage-keys_generated = Ключи сгенерированы, запросы на сертификацию поданы
stage-keys_certified = Сертификаты ключей сформированы
stage-personalized = Удостоверение персонализировано
stage-at_branch = Удостоверение поступило в отделение банка и готово к выдаче
stage-issued = Удостоверение выдано
stage-active = Удостоверение активировано
stage-blocked = Удостоверение заблокировано
stage-returned = Удостоверение возвращено для уничтожения
stage-lost = Заявлено об утере удостоверения
stage-withdrawn_by_bank = Удостоверение изъято банком
stage-destroyed = Удостоверение уничтожено
stage-withdrawn = Заявление отозвано
stage-refused = В изготовлении удостоверения отказано

## Events, worded as the actions a person records.
event-submit_to_region = Подать сведения в главное управление Фонда
event-submit_to_central = Подать сведения в Пенсионный фонд Украины
event-pass_duplicate_check = Подтвердить отсутствие ранее изготовленных удостоверений
event-hold_as_duplicate = Приостановить изготовление: возможное дублирование
event-release_hold = Возобновить изготовление
event-produce = Зарегистрировать изготовление
event-transfer_to_region = Передать в главное управление по акту
event-transfer_to_district = Передать в орган Фонда по акту
event-send_to_bank = Передать заявление в банк
event-open_account = Зарегистрировать открытие счета
event-send_to_personalizer = Передать сведения персонализатору
event-generate_keys = Зарегистрировать генерацию ключей
event-certify_keys = Зарегистрировать формирование сертификатов ключей
event-personalize = Зарегистрировать персонализацию
event-deliver_to_branch = Зарегистрировать доставку в отделение банка
event-issue = Выдать удостоверение
event-activate = Зарегистрировать активацию
event-block = Заблокировать
event-unblock = Разблокировать
event-withdraw = Отозвать заявление
event-refuse = Отказать в изготовлении
event-return_for_destruction = Принять удостоверение для уничтожения
event-declare_lost = Зарегистрировать утерю
event-withdraw_by_bank = Зарегистрировать изъятие банком
event-destroy = Зарегистрировать уничтожение

## Refusals of `lifecycle::next`; {stage}, {event} and {form} are the names above, in the same language.
lifecycle-not_allowed = Действие «{ $event }» недоступно на этапе «{ $stage }».
lifecycle-wrong_form = Действие «{ $event }» не применяется к удостоверению в форме «{ $form }».
lifecycle-stage_not_in_form = Этап «{ $stage }» не предусмотрен для удостоверения в форме «{ $form }»; проверьте данные.
lifecycle-already_final = Дело завершено на этапе «{ $stage }»; дальнейшие действия невозможны.
lifecycle-too_late_to_withdraw = Заявление уже нельзя отозвать: сведения переданы на изготовление.

## Names of the kinds of organisational units and of staff roles.
unit-central_fund = Пенсионный фонд Украины (центральный аппарат)
unit-regional_office = Главное управление
unit-district_office = Управление в районе
unit-service_centre = Сервисный центр
unit-bank = Банк
unit-bank_branch = Отделение банка
unit-personalizer = Персонализатор
unit-certification_centre = Центр сертификации ключей
role-specialist = Специалист сервисного центра
role-district_officer = Работник управления в районе
role-regional_officer = Работник главного управления
role-central_production_officer = Работник по изготовлению (центральный аппарат)
role-transfer_responsible = Ответственное лицо по приему-передаче
role-commission_member = Член комиссии по уничтожению
role-bank_operator = Оператор банка
role-personalizer_operator = Оператор персонализатора
role-ca_operator = Оператор ЦСК
role-postal_digitizer = Сотрудник почты по оцифровке
role-auditor = Аудитор
role-administrator = Администратор

## Messages of signature validation reports (ETSI EN 319 102-1 indications and the checks behind them), worded for a specialist who is not a cryptographer: what was checked and what it means.
verify-title = Проверка подписей документа
verify-document = Документ
verify-no_signatures = В документе нет электронных подписей.
verify-signature_n = Подпись { $n }
verify-doc_timestamp_n = Метка времени документа { $n }
verify-signer = Подписант
verify-issuer = Издатель сертификата
verify-claimed_time = Время подписания (со слов подписанта)
verify-proven_time = Время подписания (подтверждено меткой времени)
verify-certificate_valid = Сертификат действителен
verify-later_revisions = Сколько раз документ изменяли после подписания: { $n }
verify-covers_whole = Подпись охватывает весь документ
verify-level = Уровень подписи
verify-technical = Технические подробности
verify-upload = Проверить PDF
verify-upload_hint = Выберите подписанный PDF-файл (до 20 МБ).
verify-download_json = Отчет в формате JSON

## Verdicts.
verify-indication-TOTAL-PASSED = Подпись действительна
verify-indication-TOTAL-FAILED = Подпись недействительна
verify-indication-INDETERMINATE = Не удалось подтвердить подпись
verify-overall-TOTAL-PASSED = Все подписи действительны
verify-overall-TOTAL-FAILED = Документ содержит недействительную подпись
verify-overall-INDETERMINATE = Не все подписи удалось подтвердить

## Why (sub-indications).
verify-sub-FORMAT_FAILURE = Подпись повреждена или имеет неправильный формат.
verify-sub-HASH_FAILURE = Документ изменен после подписания.
verify-sub-SIG_CRYPTO_FAILURE = Значение подписи не соответствует ключу подписанта.
verify-sub-REVOKED = Сертификат подписанта отозван до подписания.
verify-sub-EXPIRED = Срок действия сертификата подписанта истек до подписания.
verify-sub-NOT_YET_VALID = Сертификат еще не действовал на момент подписания.
verify-sub-SIG_CONSTRAINTS_FAILURE = Подпись не соответствует требованиям политики.
verify-sub-CHAIN_CONSTRAINTS_FAILURE = Сертификат не предназначен для такой подписи.
verify-sub-CRYPTO_CONSTRAINTS_FAILURE = Алгоритм подписи не поддерживается или устарел.
verify-sub-CRYPTO_CONSTRAINTS_FAILURE_NO_POE = Срок действия алгоритма подписи истек, и ни одна метка времени, созданная с помощью надежных алгоритмов, не доказывает, что подпись существовала раньше.
verify-sub-REVOKED_NO_POE = Сертификат отозван, а метки времени, доказывающей более раннее подписание, нет.
verify-sub-OUT_OF_BOUNDS_NO_POE = Сертификат уже недействителен, а метки времени, доказывающей время подписания, нет.
verify-sub-NO_SIGNING_CERTIFICATE_FOUND = Сертификат подписанта не найден.
verify-sub-NO_CERTIFICATE_CHAIN_FOUND = Сертификат выдан не доверенным центром сертификации.
verify-sub-TRY_LATER = Нет актуального списка отозванных сертификатов; повторите попытку позже.
verify-sub-SIGNED_DATA_NOT_FOUND = Подписанные данные не найдены.

## Checks.
verify-check-format = Формат подписи
verify-check-byte_range = Охват документа подписью
verify-check-content_type = Тип подписанных данных
verify-check-message_digest = Целостность документа
verify-check-signature = Значение подписи
verify-check-signing_certificate = Привязка сертификата к подписи
verify-check-chain = Цепочка до доверенного центра
verify-check-validity = Срок действия сертификатов
verify-check-chain_constraints = Полномочия центров сертификации
verify-check-key_usage = Назначение ключа
verify-check-algorithm = Надежность алгоритмов на доказанный момент времени
verify-check-revocation = Статус отзыва
verify-check-timestamp = Метка времени
verify-check-archive_timestamp = Архивная метка времени (долгосрочное подтверждение)
verify-check-timestamp_format = Формат метки времени
verify-check-timestamp_imprint = Метка времени относится к этой подписи
verify-check-other_signers = Другие подписанты сообщения
verify-check-countersignature = Контрасигнатура
verify-check-modifications = Что изменили более поздние редакции
verify-status-passed = да
verify-status-failed = нет
verify-status-warning = предупреждение
verify-status-skipped = не проверялось
verify-signed_revision = Скачать подписанную редакцию (байты, которые охватывает подпись { $n })

## What a revision appended after a signature changed ($detail names the field, page or object).
verify-change-signature_added = Добавлена подпись ({ $detail })
verify-change-document_timestamp_added = Добавлена метка времени документа ({ $detail })
verify-change-validation_data_added = Добавлены данные для проверки (сертификаты, сведения об отзыве)
verify-change-metadata_updated = Обновлены метаданные документа
verify-change-field_filled = Заполнено поле формы «{ $detail }»
verify-change-annotation_added = Добавлен комментарий или отметка на странице { $detail }
verify-change-annotation_changed = Изменен комментарий или отметка ({ $detail })
verify-change-annotation_removed = Удален комментарий или отметка со страницы { $detail }
verify-change-page_content_changed = Заменен текст или изображение страницы ({ $detail })
verify-change-page_changed = Изменена страница ({ $detail })
verify-change-page_tree_changed = Страницы добавлены, удалены или переставлены ({ $detail })
verify-change-resource_changed = Переопределено то, чем отрисовывается страница (шрифт, изображение или форма) ({ $detail })
verify-change-catalog_changed = Переписана структура документа ({ $detail })
verify-change-action_added = Добавлено действие или сценарий ({ $detail })
verify-change-field_added = Добавлено поле формы ({ $detail })
verify-change-field_changed = Изменено определение поля формы ({ $detail })
verify-change-locked_field_changed = Изменено поле формы «{ $detail }», заблокированное подписью
verify-change-signature_changed = Существующая подпись изменена или удалена ({ $detail })
verify-change-object_removed = Удален объект подписанного документа ({ $detail })
verify-change-bytes_after_end = После конца документа дописаны данные ({ $detail })
verify-change-unreadable = Более позднюю редакцию невозможно прочитать
verify-change-not_allowed = не разрешено после этой подписи

## Errors of the trust-service commands and endpoints.
verify-error-not_pdf = Файл не является документом PDF.
verify-error-too_large = Файл слишком большой.

## Messages about document sharing by code and consent (SPEC §2.1): what the specialist at the counter and the citizen in the wallet are told.
sharing-code-format = Код должен состоять из 13 цифр.
sharing-code-checksum = Неверная контрольная цифра кода — переспросите код у посетителя.
sharing-code-unknown = Записи с таким кодом нет. Попросите посетителя обновить код в приложении.
sharing-code-expired = Срок действия кода истек (3 минуты). Попросите новый код.
sharing-code-used = Этот код уже использован. Каждый код действует только один раз.
sharing-type_not_allowed = Это отделение не имеет права запрашивать документ «{ $type }».
sharing-type_mismatch = Тип документа должен быть «{ $type }»: код создан для другого документа.
sharing-document_type-unknown = Неизвестный тип документа: { $type }.
sharing-request-not_allowed = Запрос в состоянии «{ $status }» уже нельзя изменить.
sharing-request-unknown = Запрос не найден. Сначала отправьте запрос на документ.
sharing-declined = Гражданин отказался передавать документ.
sharing-hub_unreachable = Сервис обмена документами недоступен. Запрос сохранен и будет повторен автоматически.
sharing-rate_limited = Слишком много неудачных попыток ввода кода. Подождите { $seconds } с и попробуйте снова.
sharing-doc-internal-passport = Паспорт гражданина Украины (ID-карта)
sharing-doc-taxpayer-card = Карточка плательщика налогов (РНУКПН)
sharing-doc-birth-certificate = Свидетельство о рождении
sharing-status-waiting_consent = Ожидает согласия гражданина
sharing-status-approved = Согласие дано, документ отправляется
sharing-status-declined = Гражданин отказал
sharing-status-expired = Срок ожидания истек
sharing-status-delivered = Документ получен
sharing-status-failed = Не удалось доставить документ

## Texts of the fund's intake counter page and review queue.
intake-nav = Документы из кошелька
intake-title = Получить документ по коду
intake-lead = Попросите посетителя открыть документ в приложении и продиктовать 13 цифр под штрихкодом.
intake-code = Код (13 цифр)
intake-code-ok = Контрольная цифра верна.
intake-document_type = Ожидаемый документ
intake-send = Отправить запрос
intake-request = Запрос на документ
intake-request_id = Идентификатор запроса
intake-requested_at = Запрос отправлен
intake-delivered_at = Документ получен
intake-status = Состояние
intake-branch = Отделение
intake-recipient = Получатель
intake-formed_at = Копия сформирована
intake-download = Скачать копию (PDF)
intake-verdict = Проверка подписи
intake-person = Лицо
intake-unmatched = Лицо не найдено — копия передана в очередь рассмотрения.
intake-new_request = Новый запрос
intake-refresh = Обновить состояние
intake-follow = Для гражданина: следить за запросом
intake-follow_intro = Гражданин может отсканировать этот код телефоном и без входа в систему увидеть, получил ли фонд документ.
intake-follow_link = Страница состояния этого запроса
intake-followers = Получают уведомления об этом запросе
intake-followers_caption = Подписки, оформленные по ссылке на страницу состояния
intake-status-submitting = Отправляется в сервис обмена
intake-status-refused = Код не принят
intake-no_branch = Ваше подразделение не зарегистрировано как отделение в сервисе обмена документами.
intake-not_configured = Обмен документами на этом сервере не настроен.
intake-hub_refused = Сервис обмена документами отклонил запрос: { $detail }
intake-delivery_failed = Не удалось принять документ: { $detail }
intake-review-title = Очередь рассмотрения полученных копий
intake-review-empty = Очередь пуста.
intake-review-assign = Прикрепить к лицу
intake-review-person_id = Идентификатор лица (UUID)
intake-review-already = Копия уже прикреплена к лицу.
intake-review-assigned = Копия прикреплена к лицу.
intake-delivery-malformed = Неправильная доставка: отсутствует часть «{ $part }».
intake-delivery-not_for_us = Пакет зашифрован не для этого отделения.
intake-delivery-undecryptable = Не удалось расшифровать пакет.
intake-delivery-bad_signature = Подпись сервиса обмена на пакете недействительна.
intake-delivery-wrong_signer = Пакет подписан не доверенным сервисом обмена.
intake-delivery-bad_metadata = Метаданные пакета не соответствуют ожидаемому формату.
intake-delivery-unknown_request = Фонд не отправлял такого запроса.
intake-delivery-trace_mismatch = Идентификатор запроса в заголовке и в метаданных не совпадает.
intake-delivery-barcode_mismatch = Код в пакете не совпадает с кодом запроса.
intake-delivery-branch_mismatch = Пакет сформирован для другого отделения.
intake-delivery-acquirer_mismatch = Пакет сформирован для другого получателя.
intake-delivery-type_mismatch = В пакете другой тип документа, чем запрошено.
intake-delivery-not_live = Запрос уже завершен ({ $status }); документ не принят.
intake-hub-bad_request = Сервис обмена не понял запрос.
intake-hub-unauthorized = Сервис обмена не распознал фонд (проверьте токен).
intake-hub-duplicate = Такой запрос уже отправлен.

## The card exchange with the bank, the personalizer and the certification centre (regulation 26-1, §IV).
card-party-fund = Пенсионный фонд
card-party-bank = Банк
card-party-personalizer = Персонализатор
card-party-certification_centre = Центр сертификации ключей
card-not_found = Карта не найдена среди карт, с которыми работает ваша организация.
card-not_your_step = Об этапе «{ $event }» сообщает другая сторона, а не «{ $party }».
card-held = Заявление { $application } приостановлено проверкой на дубликаты: центральный орган либо снимает приостановку (и заявление передается в банк), либо отказывает на странице изготовления.
card-not_a_card_step = «{ $event }» не является этапом обмена по карте.
card-identification-mismatch = Не совпадает с данными Пенсионного фонда.
card-identification-required = Открывая счет и выдавая карту, банк передает идентификационные данные владельца.
card-issue-instruction_required = Вместе с картой владельцу выдают инструкцию по ее использованию.
card-identification-unmatched = Ключи сертифицируются только после совпадения идентификационных данных банка с данными фонда.
card-keys-too_few = На чип записывается не менее { $min } пар ключей.
card-keys-too_many = Не более { $max } запросов для одной карты.
card-keys-repeated = Этот ключ уже есть в запросе.
card-keys-invalid_request = Запрос не является самоподписанным запросом на сертификат с доказательством владения ключом.
card-keys-missing = Персонализатор еще не подал запросы на сертификацию ключей этой карты.
card-number-invalid = Номер карты — цифры группами через один пробел или дефис, от 4 до 19 знаков.
card-number-differs = Карта уже персонализирована с другим номером: оборотная сторона печатается с записанным номером.
card-face-okzo_missing = Для карты нужен номер учетной карточки застрахованного лица (ОКЗО): добавьте его в реестр.
card-face-photo_missing = Для карты нужно фото лица (зона 3): загрузите его в досье.
card-face-signature_missing = Для карты нужен образец подписи лица (зона 6): загрузите его в досье.
card-face-unreadable = Данные персонализации этой карты записаны в старом формате; отправьте их персонализатору повторно.
card-statement-invalid = Заявление о шаге должно быть JSON-объектом отчета (event и данные шага).
card-statement-other_card = Подписанное заявление касается другой карты.
card-partner_signature-invalid = Подпись не проверена: она не соответствует заявлению, либо сертификат недействителен или отозван.
card-partner_signature-not_yours = Заявление подписано сертификатом, который центр не выдавал вашей организации для подписания документов.
card-partner_signature-required = Отчет партнера должен быть подписан собственной подписью организации (statement и signature).
card-seal_missing = Печать фонда не настроена: обмен с банком и персонализатором невозможен.

## Refusals of the production rules (regulation 26-1, §§ I.4, III, V).
production-commission-too_few = Комиссия по уничтожению должна состоять не менее чем из { $min } человек.
production-commission-chair = Комиссию возглавляет руководитель территориального органа.
production-commission-not_appointed = Член комиссии не назначен приказом на эту дату.
production-act-unsigned = Акт еще подписали не все члены комиссии (не хватает подписей: { $count }).
production-issue-identity_document = Укажите документ, удостоверяющий личность получателя.
production-issue-status_document = Законный представитель предъявляет документ, подтверждающий его полномочия.
production-issue-tax_registration = Представитель-резидент предъявляет документ о регистрации в Государственном реестре физических лиц — плательщиков налогов (РНУКПН).
production-batch-wrong_unit = Это подразделение не подает пакеты на этом уровне.
production-appointment-period = Окончание назначения не может предшествовать его началу.
production-appointment-fund_only = Приказом назначают работников органов Пенсионного фонда.
production-act-empty = Акт должен содержать хотя бы одно удостоверение.
production-produce-nothing = Укажите удостоверения для изготовления или пакет.
production-act-wrong_direction = Акты приема-передачи составляются от центрального аппарата к главному управлению в области и от него — к подчиненному управлению в районе.
production-act-not_responsible = Акт подписывает ответственное лицо подразделения, назначенное приказом.
production-act-other_unit = Удостоверение { $certificate } принадлежит другому подразделению.
production-act-wrong_stage = Удостоверение { $certificate } сейчас не может быть внесено в этот акт.
production-certificate-on_open_act = Удостоверение { $certificate } внесено в незавершенный акт { $act }: пока акт не завершен, с удостоверением ничего другого делать нельзя (ни выдать, ни передать, ни внести в другой акт).
production-act-not_open = Акт уже закрыт.
production-act-not_member = Акт подписывают только члены комиссии.
production-issue-not_received = Удостоверение еще не принято по акту в журнал выдачи.
production-issue-other_office = Удостоверение выдает { $office } — орган, указанный в заявлении; работники другого органа выдать его не могут.
production-issue-signature = Нужна подпись получателя: отметка с учетными данными специалиста или изображение подписи.
production-hold-none = Удостоверение не задержано проверкой на дубликаты.

## What a citizen is told about a document in the making (tracking).
tracking-milestone-accepted = Заявление принято
tracking-milestone-being_checked = Ваши данные проверяются
tracking-milestone-in_production = Изготавливается
tracking-milestone-on_its_way = Изготовлено, направляется в ваше управление
tracking-milestone-ready = Готово к выдаче
tracking-milestone-issued = Выдано
tracking-milestone-activated = Карта активирована
tracking-milestone-blocked = Карта заблокирована банком
tracking-milestone-ended = Больше не используется
tracking-milestone-application_withdrawn = Заявление отозвано
tracking-milestone-refused = Не изготовлено: пожалуйста, обратитесь в ваше управление
tracking-milestone-consent_awaited = Запрос отправлен: ожидает вашего согласия в приложении
tracking-milestone-being_delivered = Согласие дано: копия направляется в фонд
tracking-milestone-received = Фонд получил ваш документ
tracking-milestone-not_shared = Не передано: отклонено или не подтверждено вовремя
tracking-milestone-not_received = Не получено: пожалуйста, обратитесь в управление
tracking-estimate = Ожидаемая дата готовности — { $date }
tracking-estimate_revised = Приносим извинения за задержку: теперь ожидаемая дата — { $date }
tracking-number_format = Введите номер заявления, как в вашей расписке, например З-2026-0000042.
tracking-not_found = Документ с таким номером и датой рождения не найден. Проверьте оба значения и попробуйте еще раз.
tracking-limited = Слишком много неудачных попыток. Пожалуйста, повторите попытку позже.
tracking-birth_date_format = Выберите дату рождения.
tracking-code_invalid = Этот код не подходит. Введите номер заявления и дату рождения.

## Notifications
## notify-about_* fill "{about}" in the templates, after "о" ("уведомления о …"): they are in the prepositional case.
notify-unavailable = Уведомления на этом сервере не настроены.
notify-channel_unavailable = Этот способ уведомлений сейчас недоступен.
notify-email_format = Введите адрес электронной почты, например olena@ukr.net.
notify-link_invalid = Ссылка недействительна: она уже использована, срок ее действия истек или она скопирована не полностью.
notify-webhook_url = Укажите полный адрес https://… системы, которая будет принимать уведомления.
notify-too_many_pending = Несколько подписок на этот документ еще ожидают подтверждения. Подтвердите одну из них или повторите попытку позже.
notify-about_application = заявлении { $case }
notify-about_document = документе «{ $type }», которым вы поделились из своего кошелька
notify-case_ended = Этот запрос завершен: новых уведомлений о нем не будет.
notify-not_dead = Повторно отправить можно только уведомление, которое не удалось доставить.
vn_citizen_id-format = Персональный идентификационный номер должен содержать { $len } цифр.
vn_citizen_id-province = Первые три цифры персонального идентификационного номера не являются кодом провинции (001–096).
vn_citizen_id-birth_mismatch = Дата рождения не согласуется с персональным идентификационным номером (в нем — { $year }).
vn_citizen_id-sex_mismatch = Пол не согласуется с персональным идентификационным номером.
vn_insurance_code-format = Код социального страхования должен содержать { $len } цифр.
digitization-agency_code = Код учреждения записывается как 000.00.31.H29: три группы цифр, затем заглавная латинская буква и две цифры.
digitization-dossier_code = Код дела записывается как 000.00.31.H29-230405-0007: код учреждения, дата поступления (ГГММДД) и номер за день.
digitization-result_scheme_unclosed = В схеме кода результата оцифровки есть незакрытая скобка "{ "{" }".
digitization-result_scheme_placeholder = Схема кода результата оцифровки может содержать только { "{dossier}" }, { "{n}" } и { "{n:1}" }–{ "{n:4}" }.
digitization-result_scheme_characters = Вне подстановок схема кода результата оцифровки может содержать только латинские буквы, цифры, ".", "-" и "_".
digitization-result_scheme_once = Схема кода результата оцифровки должна содержать { "{dossier}" } и { "{n}" } ровно по одному разу.
digitization-result_scheme_length = Схема кода результата оцифровки дает коды длиннее 64 символов.
digitization-day_full = Учреждение сегодня уже открыло 9 999 дел — столько номеров код дела предусматривает на день.
scan-too_large = Страница слишком велика для обработки: не более { $max } пикселей по длинной стороне.
scan-too_small = Страница слишком мала, чтобы на ней можно было прочитать текст.
scan-no_resolution = В скане не указано разрешение; отсканируйте снова с разрешением от { $min } dpi.
scan-low_resolution = Разрешение скана { $dpi } dpi; требуется не менее { $min } dpi.
scan-needs_colour = Сканируйте в цвете: печати и подписи должны сохранить цвет.
scan-needs_grey = Сканируйте в цвете или оттенках серого, не в черно-белом режиме.
digitization-birth_certificate_no = Серия и номер свидетельства о рождении имеют вид І-БК 123456: римская цифра, две буквы, шесть цифр.
digitization-name_letters = Имя может содержать только буквы и пробелы.
digitization-guessed_characters = Некоторые символы не были цифрами и прочитаны как цифры; сверьте со сканом.
digitization-low_confidence = Распознано с уверенностью { $confidence } % — слишком мало, чтобы принять без проверки.
digitization-not_found = На скане не найдено.
digitization-unzr_birth_mismatch = Дата рождения не согласуется с УНЗР.
digitization-register_disagrees = В реестре фонда для этого человека записано другое: сверьте документ с его учётной карточкой.
digitization-dossier_full = Дело уже содержит 9 999 документов.
digitization-not_in_review = Это поле не ждет решения (оно уже принято или решено) или в нем нет прочитанного значения для подтверждения — введите значение.
digitization-not_configured = Оцифровка на этом сервере не настроена ([digitization] в конфигурации).
digitization-seal_digitized = Оцифровано { $time }
digitization-seal_missing = На этом сервере не настроена печать документов, поэтому подписанную копию создать нельзя.
digitization-applicant = Номер документа заявителя — от 4 до 20 букв и цифр (пробелы и дефисы не учитываются).
digitization-receipt-title = Расписка в приёме документов для оцифровки
digitization-receipt-code = Код дела
digitization-receipt-procedure = Процедура
digitization-receipt-applicant = Номер документа заявителя
digitization-receipt-received = Принято
digitization-receipt-documents = Принятые и оцифрованные документы
digitization-receipt-col_no = №
digitization-receipt-col_code = Код результата оцифровки
digitization-receipt-col_paper = Документ
digitization-receipt-col_pages = Страниц
digitization-receipt-mark = Документы приняты
digitization-receipt-officer = Принял
digitization-receipt-signature = Подпись
digitization-receipt-qr = QR-код
digitization-receipt-scan = содержит код дела, процедуру, заявителя, документы, систему и время выдачи
digitization-result_not_yet = Подписанная копия появится, как только будут распознаны все страницы; некоторые ещё ждут.
digitization-reuse_not_ready = Данные этого документа можно взять, как только все поля будут проверены; некоторые ещё ждут проверки.
digitization-procedure = Укажите код процедуры: буквы, цифры, ".", "-" или "_", не более 64 символов.
digitization-no_pages = Добавьте хотя бы одну отсканированную страницу.
digitization-too_many_pages = Документ может содержать не более { $max } страниц.
scan-too_large_file = Файл больше, чем может быть отсканированная страница (30 МБ).
scan-not_an_image = Файл не является изображением PNG, JPEG или TIFF или PDF с отсканированными страницами.
scan-damaged = Изображение повреждено, его невозможно прочитать.
scan-pdf_damaged = PDF невозможно прочитать.
scan-pdf_encrypted = PDF зашифрован; отсканируйте бумагу ещё раз без пароля.
scan-pdf_no_pages = В PDF нет страниц.
scan-pdf_not_a_scan = Страница { $page } PDF не является отсканированным изображением (одно изображение JPEG или серое либо цветное изображение Flate на всю страницу); отсканируйте бумагу или пришлите страницы как изображения.
digitization-kind-ua_id_card = ID-карта гражданина Украины
digitization-kind-ua_taxpayer_card = Карточка налогоплательщика (РНУКПН)
digitization-kind-ua_birth_certificate = Свидетельство о рождении (Украина)
digitization-kind-vn_citizen_id_card = Удостоверение гражданина Вьетнама (CCCD)
digitization-kind-vn_insurance_book = Книжка социального страхования Вьетнама
digitization-kind-vn_registration_form = Заявление на социальное страхование Вьетнама (TK1-TS)
digitization-field-surname = Фамилия
digitization-field-given_name = Имя
digitization-field-patronymic = Отчество
digitization-field-full_name = Полное имя
digitization-field-sex = Пол
digitization-field-birth_date = Дата рождения
digitization-field-document_number = Номер документа
digitization-field-expiry_date = Действителен до
digitization-field-unzr = УНЗР
digitization-field-rnokpp = РНУКПН
digitization-field-citizen_id = Персональный идентификационный номер
digitization-field-insurance_code = Код социального страхования
digitization-field-address = Адрес

## Пенсионные калькуляторы (issue 21): почему расчёт не даёт пенсии, и отклонённые данные.
calculator-short_record = Стаж недостаточен: право на пенсию даёт не менее { $years } лет страхового стажа.
calculator-few_points = Недостаточно пенсионных баллов: право даёт не менее { $points }.
calculator-birth_date_too_early = Проверьте дату рождения: более 110 лет назад.
calculator-wage_months_past_record = Месяцев в коэффициенте заработной платы не может быть больше, чем месяцев стажа.
calculator-not_a_number = Введите число: цифры, дробную часть — после точки или запятой.

## Запись на приём (issue 21 §6): услуги и почему время нельзя забронировать или изменить.
appointment-service-pension_assignment = Назначение пенсии
appointment-service-recalculation = Перерасчёт или перевод пенсии
appointment-service-certificate = Пенсионное удостоверение
appointment-service-documents = Подача или получение документов
appointment-service-consultation = Консультация
appointment-not_a_slot = Офис не принимает в это время; выберите одно из предложенных.
appointment-too_soon = На это время записаться уже поздно; выберите более позднее.
appointment-too_far = Этот день слишком далеко; запись открывается за { $days } дней.
appointment-full = Все места на это время заняты; выберите другое время.
appointment-too_late_to_change = До приёма меньше 24 часов: перенести или отменить его здесь уже нельзя. Позвоните в офис.
appointment-not_live = Запись отменена; запишитесь снова.
appointment-code_invalid = Записи с таким кодом нет. Проверьте код из подтверждения.
appointment-code_format = Код записи — десять букв и цифр, например ABCDE-23456.
appointment-pick_time = Выберите одно из свободных времён.
appointment-phone = Укажите номер телефона с кодом оператора, например 067 123 45 67.
appointment-contact_needed = Укажите e-mail или номер телефона, чтобы офис мог с вами связаться.
appointment-too_many = На этот адрес уже есть { $max } предстоящие записи; отмените одну, чтобы записаться ещё.

# Citizens signing in through the identity provider
account-login_unavailable = Служба идентификации сейчас недоступна. Попробуйте немного позже.
account-login_failed = Вход не удался: ответ службы идентификации не прошёл проверку. Попробуйте ещё раз.
account-login_expired = Этот вход уже использован или устарел. Начните вход заново.
account-login_limited = Слишком много попыток входа отсюда за короткое время. Попробуйте снова через четверть часа.
account-login_declined = Вы отказались передать свои данные, поэтому вход не выполнен.

# The pension record: employers' reports and the record
record-employer_code = Код работодателя — 8 цифр ЕГРПОУ или 10 цифр РНОКПП.
record-employer_checksum = Код ЕГРПОУ не проходит проверку контрольной цифры.
record-month = Месяц пишите как ГГГГ-ММ, например 2026-03.
record-amount = Сумму пишите цифрами, до копеек: 12345.67.
record-unknown_column = Неизвестный столбец «{ $column }». Ожидаются: { $expected }.
record-duplicate_column = Столбец «{ $column }» повторяется.
record-missing_column = Не хватает столбца «{ $column }».
record-date_outside_month = Дата должна быть в пределах отчётного месяца.
record-in_future = Дата ещё не наступила.
record-period_reversed = Конец периода раньше его начала.
record-period_before_birth = Период раньше даты рождения лица.
record-period_overlaps = Лицо уже работает у этого работодателя: период пересекается с имеющимся.
record-unknown_person = Лица с таким РНОКПП нет в реестре фонда.
record-month_already_reported = Этот месяц уже отчитан для этого лица этим работодателем.
record-no_open_period = Увольнение без открытого периода работы у этого работодателя.
record-unknown_employer = Такой работодатель не зарегистрирован.
record-correction_closed = На это обращение уже ответили.
record-year = Год — четыре цифры, не раньше 1950 и не позже текущего.
record-length = { $years } г. { $months } мес. { $days } дн.
record-activity-employment = Работа по найму
record-activity-self_employment = Самозанятость
record-activity-military = Военная служба
record-activity-child_care = Уход за ребёнком
record-activity-unemployment = Безработица

# Questions without registration
question-subject-pension = Назначение пенсии
question-subject-record = Страховой стаж и заработок
question-subject-certificate = Пенсионное удостоверение
question-subject-payments = Выплата пенсии
question-subject-other = Другое
question-subject_required = Выберите, о чём ваш вопрос.
question-too_short = Опишите вопрос подробнее: не меньше { $min } символов.
question-code_format = Номер обращения — десять букв и цифр, как ABCDE-23456.
question-code_invalid = Обращение с таким номером не найдено.
question-answered_already = На этот вопрос уже ответили.
question-about = ваш вопрос

# Statements on demand
statement-fund = Пенсионный фонд Украины
statement-title = Выписка из индивидуального счёта застрахованного лица
statement-person = Застрахованное лицо
statement-tax_id = РНОКПП
statement-birth = Дата рождения
statement-record_length = Страховой стаж
statement-issued = Сформировано
statement-years = Заработок и уплаченные взносы по годам
statement-col_year = Год
statement-col_wage = Заработок
statement-col_contribution = Взносы
statement-col_months = Мес.
statement-mark = Проверка документа
statement-code = Код проверки
statement-verify = Проверить на странице
statement-qr = QR-код
statement-scan = Отсканируйте, чтобы проверить и получить оригинал с подписью фонда
statement-code_format = Код проверки — десять букв и цифр, как ABCDE-23456.
statement-code_invalid = Документа с таким кодом проверки фонд не выдавал.

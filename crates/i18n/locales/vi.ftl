### Dossier message catalogue — Vietnamese.
### The domain's messages: errors and the names of the codes it defines (roles, units, statuses).
### Message ids are the code's keys with "." written as "-" (common.required → common-required).

## The language itself, as its speakers name it (the language switcher shows it).
language-name = Tiếng Việt

## Messages shared by every part of the system.
common-required = Đây là trường bắt buộc.
common-too_long = Quá dài: tối đa { $max } ký tự.
common-invalid_date = Ngày phải theo định dạng YYYY-MM-DD.
common-date_in_future = Ngày không được ở tương lai.
common-unknown_value = Giá trị không xác định “{ $value }”.
common-unknown_message = Thông báo mà phiên bản này không biết.
common-concurrent_change = Có người đã thay đổi mục này cùng lúc; vui lòng thử lại.
common-out_of_range = Giá trị phải từ { $min } đến { $max }.
common-not_found = Không tìm thấy.
common-forbidden = Bạn không có quyền thực hiện thao tác này.
common-unauthenticated = Vui lòng đăng nhập.
common-malformed_json = JSON không hợp lệ: { $detail }
common-malformed_request = Yêu cầu không hợp lệ: { $detail }
common-payload_too_large = Yêu cầu quá lớn.
common-validation_failed = Dữ liệu không vượt qua bước kiểm tra.
common-conflict = Xung đột với dữ liệu hiện có.
document-changed = Tài liệu đã bị thay đổi trong lúc đó; không có gì được ghi lại.
common-internal = Lỗi nội bộ. Vui lòng thử lại sau; sự cố đã được ghi nhật ký.
common-rate_limited = Quá nhiều lần thử. Vui lòng thử lại sau.
common-csrf = Biểu mẫu đã hết hạn hoặc bị giả mạo. Hãy tải lại trang và thử lại.
common-unsupported_media = Kiểu dữ liệu không được hỗ trợ: { $detail }
common-bad_encoding = Dòng dữ liệu không phải UTF-8 hợp lệ.
common-unprintable = Không thể in ký tự { $char } trên giấy tờ: chỉ được dùng chữ cái tiếng Ukraina và chữ Latinh, chữ số và các dấu câu thông thường.
common-repeated_item = “{ $item }” được liệt kê nhiều lần; mỗi mục chỉ ghi một lần.
auth-bad_credentials = Sai tên đăng nhập hoặc mật khẩu.
auth-locked = Tài khoản tạm thời bị khóa sau nhiều lần đăng nhập không thành công. Vui lòng thử lại sau.
org-bad_parent = Đơn vị loại này không thể đặt trực thuộc đơn vị cấp trên đã chọn.
org-code_taken = Đã có đơn vị với mã này.
staff-login_taken = Tên đăng nhập này đã được sử dụng.
tsa-not_configured = Máy chủ này chưa cấu hình đơn vị cấp dấu thời gian.

## Messages about identifiers (SPEC §3).
rnokpp-format = RNOKPP phải gồm { $len } chữ số.
rnokpp-checksum = Chữ số kiểm tra của RNOKPP không đúng — vui lòng kiểm tra lại số.
rnokpp-birth_mismatch = Ngày sinh không khớp với RNOKPP (theo số này là { $date }).
rnokpp-sex_mismatch = Giới tính không khớp với RNOKPP.
unzr-format = UNZR phải có dạng YYYYMMDD-NNNNC.
unzr-date = UNZR chứa một ngày không tồn tại.
unzr-checksum = Chữ số kiểm tra của UNZR không đúng.
passport-format = Hộ chiếu: hai chữ cái in hoa tiếng Ukraina và sáu chữ số (ví dụ: КВ123456).
id_card-format = Số thẻ ID gồm { $len } chữ số.
okzo-format = Số OKZO gồm tối đa 10 chữ số (thêm các số 0 ở đầu cho đủ).
account-format = Số tài khoản cá nhân gồm từ 1 đến { $max } chữ số.

## Messages about people and representatives.
name-letters = Không được dùng ký tự “{ $char }”: chỉ cho phép chữ cái, dấu nháy đơn và dấu gạch nối.
name-separator = Dấu nháy đơn, dấu gạch nối hoặc dấu cách không được đứng ở đầu, ở cuối hoặc lặp liền nhau.
person-birth_too_early = Ngày sinh trước năm 1900.
person-rnokpp_required = Hãy nhập RNOKPP hoặc đánh dấu rằng người này từ chối số này vì lý do tôn giáo.
person-rnokpp_with_refusal = Người này đã từ chối RNOKPP — không được lưu số nào.
person-passport_required_for_refusal = Người từ chối RNOKPP phải được xác định bằng số sê-ri và số hộ chiếu.
person-unzr_birth_mismatch = Ngày trong UNZR không khớp với ngày sinh.
person-id_card_expiry_without_card = Đã nhập ngày hết hạn nhưng chưa có số thẻ ID.
person-duplicate = Người có RNOKPP hoặc hộ chiếu này đã có trong sổ đăng ký.
person-photo_not_image = Ảnh phải là hình ảnh JPEG hoặc PNG.
person-photo_too_large = Ảnh quá lớn: tối đa { $max } KB.
person-photo_too_small = Ảnh quá nhỏ: tối thiểu { $w }×{ $h } điểm ảnh.
person-signature_not_image = Mẫu chữ ký phải là hình ảnh JPEG hoặc PNG.
person-signature_too_large = Mẫu chữ ký quá lớn: tối đa { $max } KB.
person-signature_too_small = Mẫu chữ ký quá nhỏ: tối thiểu { $w }×{ $h } điểm ảnh.
sex-male = nam
sex-female = nữ
capacity-full = có đầy đủ năng lực hành vi dân sự
capacity-limited = bị hạn chế năng lực hành vi dân sự
capacity-incapacitated = mất năng lực hành vi dân sự
rep-parent = cha/mẹ
rep-adoptive_parent = cha/mẹ nuôi
rep-parent_educator = cha/mẹ chăm sóc tại nhà trẻ mô hình gia đình
rep-foster_parent = cha/mẹ nhận chăm sóc thay thế
rep-patronage_educator = người chăm sóc bảo trợ tạm thời
rep-guardian = người giám hộ
rep-custodian = người bảo trợ
rep-institution = cơ sở (cơ quan giám hộ)
rep-proof_required = Hãy nhập giấy tờ chứng minh tư cách của người đại diện.
rep-resident_needs_rnokpp = Người đại diện là cư dân xuất trình giấy đăng ký thuế — hãy nhập RNOKPP.
person-unit_not_district = Một người được quản lý tại văn phòng cấp huyện — hãy chọn một văn phòng.
import-missing_column = Dòng tiêu đề CSV thiếu cột “{ $column }”.
import-malformed_row = Không đọc được dòng CSV (dấu ngoặc kép hoặc dấu phân cách).
import-empty = Tệp không có dòng dữ liệu nào.

## Messages of the pension-certificate application (regulation 26-1).
application-issue_unit_not_office = Giấy chứng nhận bản giấy do văn phòng của Quỹ cấp — hãy chọn văn phòng cấp huyện hoặc trung tâm dịch vụ.
application-issue_unit_not_bank_branch = Giấy chứng nhận dạng thẻ do chi nhánh ngân hàng cấp — hãy chọn một chi nhánh.
application-idp_gets_card = Người di tản trong nước được cấp giấy chứng nhận dạng thẻ (điện tử).
application-disability_required = Đối với lương hưu do khuyết tật, hãy nhập nhóm và nguyên nhân khuyết tật.
application-term_in_past = Thời hạn phải kết thúc trong tương lai.
application-representative_required = Đối với người chưa thành niên, người mất hoặc bị hạn chế năng lực hành vi dân sự, đơn do người đại diện theo pháp luật nộp — hãy chọn người đại diện.
application-representative_unknown = Không có người đại diện này trong hồ sơ của người này.
application-representative_inactive = Thẩm quyền của người đại diện này đã chấm dứt.
application-duplicate = Đã có giấy chứng nhận hoặc đơn còn hiệu lực cho loại lương hưu này: { $reference } (giai đoạn: { $stage }).
application-card_holder_no_paper = Người đã có giấy chứng nhận dạng thẻ ({ $reference }) không được cấp bản giấy.
application-paper_holder_card_in_its_place = Người này đang có giấy chứng nhận bản giấy ({ $reference }): thẻ chỉ được làm để thay thế giấy chứng nhận đó — hãy nộp đơn làm thẻ dưới dạng đơn thay thế giấy chứng nhận đó.
application-subgroup_only_group_one = Phân nhóm (A hoặc B) chỉ có trong nhóm I.
application-child_with_disability_age = “Trẻ em khuyết tật” chỉ áp dụng cho người dưới 18 tuổi.
application-minor_is_child_with_disability = Đối với người dưới 18 tuổi, nguyên nhân là “trẻ em khuyết tật”.
application-child_of_war_birth = “Trẻ em thời chiến” áp dụng cho người chưa đủ 18 tuổi vào ngày 2 tháng 9 năm 1945.
application-previous_disposition_required = Giấy chứng nhận trước đó phải được nộp lại hoặc khai báo bị mất.
application-lost_cannot_be_returned = Giấy chứng nhận đã mất không thể nộp lại — hãy đánh dấu là đã khai báo mất.
application-previous_not_found = Không tìm thấy giấy chứng nhận trước đó của người này.
application-previous_not_held = Giấy chứng nhận { $reference } chưa được cấp hoặc không còn hiệu lực — không thể thay thế.
application-payment_system_required = Hãy chọn hệ thống thanh toán của thẻ: quốc tế hoặc quốc gia.
application-payment_system_card_only = Chỉ chọn hệ thống thanh toán cho thẻ.
payment_system-international = hệ thống thanh toán quốc tế
payment_system-national = hệ thống thanh toán quốc gia (PROSTIR)
application-term_extended_card_only = Khi gia hạn thời hạn sẽ được cấp thẻ mới: vì lý do này chỉ có thể thay thẻ bằng thẻ.
application-term_not_extended = Thời hạn đề nghị phải kết thúc muộn hơn thời hạn của thẻ trước ({ $date }) hoặc xác định tình trạng khuyết tật.
application-term_not_fixed = Thẻ trước không có thời hạn cố định để gia hạn, trừ khi nay đã xác định tình trạng khuyết tật.
application-other_kind_must_differ = Thay thế do loại lương hưu khác: loại lương hưu phải khác với loại trước đó.
application-replacement_same_kind = Thay thế vì lý do này giữ nguyên loại lương hưu của giấy chứng nhận trước.
application-not_amendable = Đơn đã được chuyển sang sản xuất — không thể sửa đổi hoặc rút lại nữa.
application-until = đến
pension-old_age = tuổi già
pension-disability = khuyết tật
pension-loss_of_breadwinner = mất người nuôi dưỡng
pension-long_service = thâm niên công tác
disability_group-1 = nhóm I
disability_group-2 = nhóm II
disability_group-3 = nhóm III
disability_subgroup-a = phân nhóm A
disability_subgroup-b = phân nhóm B
disability_cause-general_disease = bệnh thông thường
disability_cause-from_childhood = khuyết tật từ nhỏ
disability_cause-work_injury = tai nạn lao động
disability_cause-occupational_disease = bệnh nghề nghiệp
disability_cause-war = khuyết tật do chiến tranh
disability_cause-child_with_disability = trẻ em khuyết tật
disability_cause-child_of_war = trẻ em thời chiến
disability_cause-army = khuyết tật trong thời gian phục vụ quân đội
disability_cause-chornobyl_liquidator = khuyết tật của người tham gia khắc phục hậu quả thảm họa Chornobyl
disability_cause-chornobyl_victim = khuyết tật của nạn nhân thảm họa Chornobyl
disability_cause-revolution_of_dignity = khuyết tật do Cách mạng Phẩm giá
impairment-hearing = thính giác
impairment-sight = thị giác
impairment-musculoskeletal = hệ vận động

## The disability entry printed on the certificate (§II.3, item 7): "{ $group }" is a Roman numeral,
## "{ $cause }" the cause and "{ $impairment }" the nosological form, when there is one.
certificate-group_numeral-1 = I
certificate-group_numeral-2 = II
certificate-group_numeral-3 = III
certificate-subgroup_letter-a = A
certificate-subgroup_letter-b = B
certificate-disability = người khuyết tật nhóm { $group }
certificate-disability_subgroup = người khuyết tật phân nhóm { $subgroup } thuộc nhóm { $group }
service_body-derzhspetszviazku = Derzhspetszviazku
service_body-dps = DPS
service_body-dkvs = DKVS
service_body-dsns = DSNS
service_body-dfs = DFS
service_body-mvs = MVS
service_body-mininfrastruktury = Mininfrastruktury
service_body-minoborony = Minoborony
service_body-natsionalna_hvardiia = Natsionalna hvardiia
service_body-natsionalna_politsiia = Natsionalna politsiia
service_body-sbu = SBU
service_body-szr = Sluzhba zovnishnoi rozvidky
service_body-udo = UDO
replacement-unusable = giấy chứng nhận không còn sử dụng được
replacement-lost = giấy chứng nhận bị mất
replacement-term_extended = gia hạn thời hạn hưởng lương hưu hoặc xác định (gia hạn) tình trạng khuyết tật
replacement-other_pension_kind = được hưởng loại lương hưu khác
replacement-representative_changed = hoàn cảnh giám hộ thay đổi
form-paper = bản giấy
form-card = thẻ (điện tử)
application-replacement_fixed = Không thể sửa thông tin thay thế — hãy rút đơn và nộp đơn mới.

## Messages of the certification centre: profiles, the registry checks (SPEC §2.2, §2.4 §IV), requests, revocation.

## Profiles.
cert_profile-qes_id_card = Chữ ký điện tử đủ điều kiện trên thẻ ID
cert_profile-card_key = Khóa của giấy chứng nhận hưu trí điện tử
cert_profile-agency_encryption = Mã hóa (cơ quan)
cert_profile-document_signing = Ký tài liệu (cơ quan)
cert_profile-time_stamping = Cấp dấu thời gian

## Registry checks.
certification-refused = Không thể cấp chứng thư số.
certification-validity_positive = Thời hạn hiệu lực phải ít nhất một ngày.
certification-validity_beyond_profile = Chứng thư số loại này có hiệu lực tối đa { $max } ngày.
certification-person_profile_for_unit = Khóa chữ ký đủ điều kiện và khóa thẻ chỉ được chứng thực cho cá nhân, không cho đơn vị tổ chức.
certification-unit_profile_for_person = Chứng thư số mã hóa, ký tài liệu và cấp dấu thời gian chỉ cấp cho đơn vị tổ chức, không cấp cho cá nhân.
certification-qes_adults_only = Chữ ký điện tử đủ điều kiện trên thẻ ID chỉ dành cho người từ đủ 18 tuổi trở lên.
certification-qes_no_id_card = Sổ đăng ký không có thẻ ID của người này.
certification-qes_id_card_expiry_unknown = Chưa biết ngày hết hạn của thẻ ID: hãy ghi ngày này vào sổ đăng ký trước.
certification-qes_id_card_expired = Thẻ ID đã hết hạn vào ngày { $date }.
certification-qes_beyond_id_card = Chứng thư số không được có hiệu lực dài hơn thẻ ID (có hiệu lực đến { $date }, tức là tối đa { $days } ngày).
certification-card_application_required = Khóa thẻ chỉ được chứng thực theo đơn đề nghị cấp giấy chứng nhận điện tử: hãy chỉ rõ đơn.
certification-card_application_other_person = Đơn này thuộc về người khác.
certification-card_application_not_card = Đây là đơn đề nghị cấp giấy chứng nhận bản giấy: khóa chỉ được chứng thực cho thẻ.
certification-card_application_wrong_stage = Khóa được chứng thực sau khi đã được tạo; đơn đang ở giai đoạn “{ $stage }”.
certification-card_key_beyond_card = Khóa không được có hiệu lực dài hơn thẻ (có hiệu lực đến { $date }, tức là tối đa { $days } ngày).

## Requests and the centre itself.
ca-not_configured = Trung tâm chứng thực chưa được thiết lập: hãy chạy “dossier ca init” và đặt DOSSIER_CA_PIN.
ca-csr_malformed = Yêu cầu cấp chứng thư số bị hỏng hoặc không theo định dạng PKCS#10.
ca-csr_bad_signature = Không xác minh được chữ ký của yêu cầu: chưa chứng minh được việc nắm giữ khóa bí mật.
ca-csr_unsupported = Thuật toán của yêu cầu không được hỗ trợ (yêu cầu ECDSA P-256 hoặc P-384).
ca-csr_weak_algorithm = Yêu cầu được ký bằng SHA-1, thuật toán không được chấp nhận cho chữ ký mới (ETSI TS 119 312): hãy ký bằng SHA-256, SHA-384 hoặc SHA-512.
ca-subject_required = Hãy chỉ định đúng một chủ thể: một cá nhân hoặc một đơn vị tổ chức.
ca-person_not_found = Người này không có trong sổ đăng ký.
ca-unit_not_found = Không có đơn vị tổ chức này.
ca-card_application_not_found = Không có đơn này.
ca-already_revoked = Chứng thư số đã bị thu hồi.
ca-serial_format = Số sê-ri gồm các chữ số thập lục phân.
ca-issue_failed = Trung tâm chứng thực không thể ký chứng thư số.

## Revocation reasons (RFC 5280 §5.3.1).
revocation-unspecified = Không nêu lý do
revocation-key_compromise = Lộ khóa
revocation-ca_compromise = Lộ khóa của trung tâm chứng thực
revocation-affiliation_changed = Thay đổi thông tin liên kết
revocation-superseded = Được thay thế bằng chứng thư mới
revocation-cessation_of_operation = Chấm dứt hoạt động
revocation-certificate_hold = Tạm dừng chứng thư số
revocation-privilege_withdrawn = Rút quyền

## Messages of the certificate life cycle (regulation 26-1, §§ III–V): certificate forms, stage names, event names (button labels) and refusals.

## Forms of a certificate.
certificate_form-paper = Giấy chứng nhận bản giấy
certificate_form-card = Giấy chứng nhận điện tử (thẻ thanh toán)

## Stages.
stage-accepted = Đã tiếp nhận đơn
stage-submitted_to_region = Đã gửi dữ liệu lên văn phòng chính cấp vùng
stage-submitted_to_central = Đã gửi dữ liệu lên Quỹ Hưu trí Ukraine
stage-duplicate_hold = Tạm dừng sản xuất: có thể trùng giấy chứng nhận
stage-in_production = Giấy chứng nhận đang được sản xuất
stage-produced = Đã sản xuất xong giấy chứng nhận
stage-at_region = Đã chuyển giấy chứng nhận đến văn phòng chính cấp vùng
stage-at_district = Giấy chứng nhận đã đến văn phòng cấp huyện, sẵn sàng để cấp
stage-sent_to_bank = Đã gửi đơn đến ngân hàng
stage-account_opened = Đã mở tài khoản ngân hàng
stage-at_personalizer = Đã gửi dữ liệu đến đơn vị cá thể hóa
stage-keys_generated = Đã tạo khóa, đã gửi yêu cầu chứng thực
stage-keys_certified = Đã cấp chứng thư số cho khóa
stage-personalized = Đã cá thể hóa thẻ
stage-at_branch = Thẻ đã đến chi nhánh ngân hàng, sẵn sàng để cấp
stage-issued = Đã cấp giấy chứng nhận
stage-active = Đã kích hoạt thẻ
stage-blocked = Thẻ bị khóa
stage-returned = Giấy chứng nhận đã được nộp lại để tiêu hủy
stage-lost = Giấy chứng nhận đã được khai báo mất
stage-withdrawn_by_bank = Thẻ bị ngân hàng thu hồi
stage-destroyed = Giấy chứng nhận đã bị tiêu hủy
stage-withdrawn = Đơn đã được rút
stage-refused = Từ chối sản xuất

## Events, worded as the actions a person records.
event-submit_to_region = Gửi dữ liệu lên văn phòng chính cấp vùng
event-submit_to_central = Gửi dữ liệu lên Quỹ Hưu trí Ukraine
event-pass_duplicate_check = Xác nhận không có giấy chứng nhận nào cấp trước đó
event-hold_as_duplicate = Tạm dừng sản xuất do có thể trùng lặp
event-release_hold = Hủy tạm dừng
event-produce = Ghi nhận đã sản xuất
event-transfer_to_region = Chuyển đến văn phòng chính cấp vùng theo biên bản
event-transfer_to_district = Chuyển đến văn phòng cấp huyện theo biên bản
event-send_to_bank = Gửi đơn đến ngân hàng
event-open_account = Ghi nhận đã mở tài khoản
event-send_to_personalizer = Gửi dữ liệu đến đơn vị cá thể hóa
event-generate_keys = Ghi nhận đã tạo khóa
event-certify_keys = Ghi nhận đã chứng thực khóa
event-personalize = Ghi nhận đã cá thể hóa
event-deliver_to_branch = Ghi nhận đã giao đến chi nhánh ngân hàng
event-issue = Cấp giấy chứng nhận
event-activate = Ghi nhận đã kích hoạt
event-block = Khóa
event-unblock = Mở khóa
event-withdraw = Rút đơn
event-refuse = Từ chối sản xuất
event-return_for_destruction = Thu lại giấy chứng nhận để tiêu hủy
event-declare_lost = Ghi nhận bị mất
event-withdraw_by_bank = Ghi nhận ngân hàng thu hồi
event-destroy = Ghi nhận đã tiêu hủy

## Refusals of `lifecycle::next`; {stage}, {event} and {form} are the names above, in the same language.
lifecycle-not_allowed = Thao tác “{ $event }” không khả dụng ở giai đoạn “{ $stage }”.
lifecycle-wrong_form = Thao tác “{ $event }” không áp dụng cho giấy chứng nhận ở hình thức “{ $form }”.
lifecycle-stage_not_in_form = Giai đoạn “{ $stage }” không tồn tại đối với giấy chứng nhận ở hình thức “{ $form }”; vui lòng kiểm tra dữ liệu.
lifecycle-already_final = Hồ sơ đã khép lại ở giai đoạn “{ $stage }”; không thể thực hiện thêm thao tác nào.
lifecycle-too_late_to_withdraw = Không thể rút đơn nữa: đơn đã được chuyển sang sản xuất.

## Names of the kinds of organisational units and of staff roles.
unit-central_fund = Quỹ Hưu trí (cơ quan trung ương)
unit-regional_office = Văn phòng chính cấp vùng
unit-district_office = Văn phòng cấp huyện
unit-service_centre = Trung tâm dịch vụ
unit-bank = Ngân hàng
unit-bank_branch = Chi nhánh ngân hàng
unit-personalizer = Đơn vị cá thể hóa
unit-certification_centre = Trung tâm chứng thực
role-specialist = Chuyên viên trung tâm dịch vụ
role-district_officer = Cán bộ cấp huyện
role-regional_officer = Cán bộ cấp vùng
role-central_production_officer = Cán bộ sản xuất cấp trung ương
role-transfer_responsible = Người chịu trách nhiệm giao nhận
role-commission_member = Thành viên hội đồng tiêu hủy
role-bank_operator = Nhân viên vận hành ngân hàng
role-personalizer_operator = Nhân viên vận hành đơn vị cá thể hóa
role-ca_operator = Nhân viên vận hành CA
role-postal_digitizer = Nhân viên bưu điện số hóa
role-auditor = Kiểm toán viên
role-administrator = Quản trị viên

## Messages of signature validation reports (ETSI EN 319 102-1 indications and the checks behind them), worded for a specialist who is not a cryptographer: what was checked and what it means.
verify-title = Kiểm tra chữ ký của tài liệu
verify-document = Tài liệu
verify-no_signatures = Tài liệu không có chữ ký điện tử nào.
verify-signature_n = Chữ ký { $n }
verify-doc_timestamp_n = Dấu thời gian của tài liệu { $n }
verify-signer = Người ký
verify-issuer = Tổ chức cấp chứng thư số
verify-claimed_time = Thời điểm ký (theo khai báo của người ký)
verify-proven_time = Thời điểm ký (được chứng minh bằng dấu thời gian)
verify-certificate_valid = Chứng thư số còn hiệu lực
verify-later_revisions = Tài liệu đã bị thay đổi { $n } lần sau khi ký
verify-covers_whole = Chữ ký bao trùm toàn bộ tài liệu
verify-level = Mức chữ ký
verify-technical = Chi tiết kỹ thuật
verify-upload = Kiểm tra tệp PDF
verify-upload_hint = Chọn một tệp PDF đã ký (tối đa 20 MB).
verify-download_json = Báo cáo dạng JSON

## Verdicts.
verify-indication-TOTAL-PASSED = Chữ ký hợp lệ
verify-indication-TOTAL-FAILED = Chữ ký KHÔNG hợp lệ
verify-indication-INDETERMINATE = Không thể xác nhận chữ ký
verify-overall-TOTAL-PASSED = Tất cả chữ ký đều hợp lệ
verify-overall-TOTAL-FAILED = Tài liệu có chữ ký không hợp lệ
verify-overall-INDETERMINATE = Không phải mọi chữ ký đều xác nhận được

## Why (sub-indications).
verify-sub-FORMAT_FAILURE = Chữ ký bị hỏng hoặc sai định dạng.
verify-sub-HASH_FAILURE = Tài liệu đã bị thay đổi sau khi ký.
verify-sub-SIG_CRYPTO_FAILURE = Giá trị chữ ký không khớp với khóa của người ký.
verify-sub-REVOKED = Chứng thư số của người ký đã bị thu hồi trước khi ký.
verify-sub-EXPIRED = Chứng thư số của người ký đã hết hạn trước khi ký.
verify-sub-NOT_YET_VALID = Chứng thư số chưa có hiệu lực tại thời điểm ký.
verify-sub-SIG_CONSTRAINTS_FAILURE = Chữ ký không đáp ứng yêu cầu của chính sách.
verify-sub-CHAIN_CONSTRAINTS_FAILURE = Chứng thư số không dành cho loại chữ ký này.
verify-sub-CRYPTO_CONSTRAINTS_FAILURE = Thuật toán chữ ký không được chấp nhận.
verify-sub-CRYPTO_CONSTRAINTS_FAILURE_NO_POE = Một thuật toán của chữ ký đã hết hiệu lực và không có dấu thời gian nào được tạo bằng thuật toán an toàn chứng minh chữ ký đã tồn tại trước đó.
verify-sub-REVOKED_NO_POE = Chứng thư số đã bị thu hồi và không có dấu thời gian nào chứng minh chữ ký được tạo trước đó.
verify-sub-OUT_OF_BOUNDS_NO_POE = Chứng thư số không còn hiệu lực và không có dấu thời gian nào chứng minh thời điểm ký.
verify-sub-NO_SIGNING_CERTIFICATE_FOUND = Không tìm thấy chứng thư số của người ký.
verify-sub-NO_CERTIFICATE_CHAIN_FOUND = Chứng thư số không do trung tâm chứng thực tin cậy cấp.
verify-sub-TRY_LATER = Hiện không có danh sách thu hồi cập nhật; vui lòng thử lại sau.
verify-sub-SIGNED_DATA_NOT_FOUND = Không tìm thấy dữ liệu đã ký.

## Checks.
verify-check-format = Định dạng chữ ký
verify-check-byte_range = Phạm vi tài liệu được ký
verify-check-content_type = Loại nội dung được ký
verify-check-message_digest = Tính toàn vẹn của tài liệu
verify-check-signature = Giá trị chữ ký
verify-check-signing_certificate = Chứng thư số gắn với chữ ký
verify-check-chain = Chuỗi đến trung tâm tin cậy
verify-check-validity = Hiệu lực của chứng thư số
verify-check-chain_constraints = Thẩm quyền của các trung tâm chứng thực
verify-check-key_usage = Mục đích sử dụng khóa
verify-check-algorithm = Thuật toán an toàn tại thời điểm được chứng minh
verify-check-revocation = Tình trạng thu hồi
verify-check-timestamp = Dấu thời gian
verify-check-archive_timestamp = Dấu thời gian lưu trữ (bằng chứng dài hạn)
verify-check-timestamp_format = Định dạng dấu thời gian
verify-check-timestamp_imprint = Dấu thời gian thuộc về chữ ký này
verify-check-other_signers = Những người ký khác của thông điệp
verify-check-countersignature = Chữ ký xác nhận bổ sung
verify-check-modifications = Những gì các phiên bản sau đã thay đổi
verify-status-passed = đạt
verify-status-failed = không đạt
verify-status-warning = cảnh báo
verify-status-skipped = chưa kiểm tra
verify-signed_revision = Tải xuống phiên bản đã ký (phần dữ liệu mà chữ ký { $n } bao trùm)

## What a revision appended after a signature changed ($detail names the field, page or object).
verify-change-signature_added = Đã thêm một chữ ký ({ $detail })
verify-change-document_timestamp_added = Đã thêm một dấu thời gian của tài liệu ({ $detail })
verify-change-validation_data_added = Đã thêm dữ liệu xác minh (chứng thư số, thông tin thu hồi)
verify-change-metadata_updated = Siêu dữ liệu của tài liệu đã được cập nhật
verify-change-field_filled = Trường biểu mẫu «{ $detail }» đã được điền
verify-change-annotation_added = Đã thêm một ghi chú hoặc dấu đánh dấu trên trang { $detail }
verify-change-annotation_changed = Một ghi chú hoặc dấu đánh dấu đã bị thay đổi ({ $detail })
verify-change-annotation_removed = Một ghi chú hoặc dấu đánh dấu đã bị xóa khỏi trang { $detail }
verify-change-page_content_changed = Văn bản hoặc hình vẽ của một trang đã bị thay thế ({ $detail })
verify-change-page_changed = Một trang đã bị sửa đổi ({ $detail })
verify-change-page_tree_changed = Các trang đã bị thêm, xóa hoặc sắp xếp lại ({ $detail })
verify-change-resource_changed = Một thành phần dùng để hiển thị trang (phông chữ, hình ảnh hoặc biểu mẫu) đã bị định nghĩa lại ({ $detail })
verify-change-catalog_changed = Cấu trúc của tài liệu đã bị ghi lại ({ $detail })
verify-change-action_added = Đã thêm một hành động hoặc tập lệnh ({ $detail })
verify-change-field_added = Đã thêm một trường biểu mẫu ({ $detail })
verify-change-field_changed = Định nghĩa của một trường biểu mẫu đã bị thay đổi ({ $detail })
verify-change-locked_field_changed = Trường biểu mẫu «{ $detail }», đã bị khóa bởi chữ ký, đã bị thay đổi
verify-change-signature_changed = Một chữ ký hiện có đã bị sửa đổi hoặc xóa ({ $detail })
verify-change-object_removed = Một đối tượng của tài liệu đã ký đã bị xóa ({ $detail })
verify-change-bytes_after_end = Dữ liệu đã được nối thêm sau phần cuối của tài liệu ({ $detail })
verify-change-unreadable = Không đọc được một phiên bản sau
verify-change-not_allowed = không được phép sau chữ ký này

## Errors of the trust-service commands and endpoints.
verify-error-not_pdf = Tệp không phải là tài liệu PDF.
verify-error-too_large = Tệp quá lớn.

## Messages about document sharing by code and consent (SPEC §2.1): what the specialist at the counter and the citizen in the wallet are told.
sharing-code-format = Mã phải gồm 13 chữ số.
sharing-code-checksum = Chữ số kiểm tra không đúng — vui lòng đề nghị người đến làm thủ tục đọc lại mã.
sharing-code-unknown = Không có bản ghi nào với mã này. Đề nghị người đến làm thủ tục làm mới mã trong ứng dụng.
sharing-code-expired = Mã đã hết hạn (3 phút). Hãy đề nghị cung cấp mã mới.
sharing-code-used = Mã này đã được sử dụng. Mỗi mã chỉ dùng được một lần.
sharing-type_not_allowed = Chi nhánh này không được yêu cầu giấy tờ “{ $type }”.
sharing-type_mismatch = Loại giấy tờ phải là “{ $type }”: mã này được tạo cho giấy tờ khác.
sharing-document_type-unknown = Loại giấy tờ không xác định: { $type }.
sharing-request-not_allowed = Yêu cầu ở trạng thái “{ $status }” không thể thay đổi được nữa.
sharing-request-unknown = Không tìm thấy yêu cầu. Hãy gửi yêu cầu giấy tờ trước khi chia sẻ.
sharing-declined = Công dân đã từ chối chia sẻ giấy tờ.
sharing-hub_unreachable = Không kết nối được dịch vụ chia sẻ giấy tờ. Yêu cầu được lưu lại và sẽ tự động gửi lại.
sharing-rate_limited = Nhập sai mã quá nhiều lần. Vui lòng đợi { $seconds } giây rồi thử lại.
sharing-doc-internal-passport = Hộ chiếu công dân Ukraina (thẻ ID)
sharing-doc-taxpayer-card = Thẻ người nộp thuế (RNOKPP)
sharing-doc-birth-certificate = Giấy khai sinh
sharing-status-waiting_consent = Đang chờ công dân đồng ý
sharing-status-approved = Đã đồng ý, giấy tờ đang được gửi
sharing-status-declined = Công dân đã từ chối
sharing-status-expired = Đã hết hạn
sharing-status-delivered = Đã nhận giấy tờ
sharing-status-failed = Không thể chuyển giấy tờ

## Texts of the fund's intake counter page and review queue.
intake-nav = Giấy tờ được chia sẻ
intake-title = Nhận giấy tờ bằng mã
intake-lead = Đề nghị người đến làm thủ tục mở giấy tờ trong ứng dụng và đọc 13 chữ số dưới mã vạch.
intake-code = Mã (13 chữ số)
intake-code-ok = Chữ số kiểm tra đúng.
intake-document_type = Giấy tờ cần nhận
intake-send = Gửi yêu cầu
intake-request = Yêu cầu giấy tờ
intake-request_id = Mã yêu cầu
intake-requested_at = Thời điểm yêu cầu
intake-delivered_at = Thời điểm nhận
intake-status = Trạng thái
intake-branch = Chi nhánh
intake-recipient = Bên nhận
intake-formed_at = Thời điểm tạo bản sao
intake-download = Tải bản sao (PDF)
intake-verdict = Kiểm tra chữ ký
intake-person = Cá nhân
intake-unmatched = Không tìm thấy người phù hợp — bản sao đã được chuyển vào hàng đợi xem xét.
intake-new_request = Yêu cầu mới
intake-refresh = Cập nhật trạng thái
intake-follow = Dành cho công dân: theo dõi yêu cầu này
intake-follow_intro = Công dân có thể quét mã này bằng điện thoại để xem, không cần đăng nhập, Quỹ đã nhận được giấy tờ hay chưa.
intake-follow_link = Trang trạng thái của yêu cầu này
intake-followers = Nhận thông báo về yêu cầu này qua tin nhắn
intake-followers_caption = Các đăng ký được tạo từ đường dẫn trạng thái
intake-status-submitting = Đang gửi đến dịch vụ chia sẻ
intake-status-refused = Mã không được chấp nhận
intake-no_branch = Đơn vị của bạn chưa được đăng ký là chi nhánh với dịch vụ chia sẻ giấy tờ.
intake-not_configured = Máy chủ này chưa cấu hình chức năng chia sẻ giấy tờ.
intake-hub_refused = Dịch vụ chia sẻ giấy tờ đã từ chối yêu cầu: { $detail }
intake-delivery_failed = Không thể tiếp nhận giấy tờ: { $detail }
intake-review-title = Hàng đợi xem xét các bản sao đã nhận
intake-review-empty = Hàng đợi trống.
intake-review-assign = Gắn với một người
intake-review-person_id = Mã định danh cá nhân (UUID)
intake-review-already = Bản sao đã được gắn với một người.
intake-review-assigned = Bản sao đã được gắn với người này.
intake-delivery-malformed = Gói chuyển giao không hợp lệ: thiếu phần “{ $part }”.
intake-delivery-not_for_us = Gói dữ liệu không được mã hóa cho chi nhánh này.
intake-delivery-undecryptable = Không thể giải mã gói dữ liệu.
intake-delivery-bad_signature = Chữ ký của dịch vụ chia sẻ trên gói dữ liệu không hợp lệ.
intake-delivery-wrong_signer = Gói dữ liệu không do dịch vụ chia sẻ tin cậy ký.
intake-delivery-bad_metadata = Siêu dữ liệu của gói không đúng định dạng mong đợi.
intake-delivery-unknown_request = Quỹ không gửi yêu cầu nào như vậy.
intake-delivery-trace_mismatch = Mã yêu cầu trong phần tiêu đề và trong siêu dữ liệu không khớp nhau.
intake-delivery-barcode_mismatch = Mã trong gói dữ liệu khác với mã của yêu cầu.
intake-delivery-branch_mismatch = Gói dữ liệu được tạo cho chi nhánh khác.
intake-delivery-acquirer_mismatch = Gói dữ liệu được tạo cho bên nhận khác.
intake-delivery-type_mismatch = Gói dữ liệu chứa loại giấy tờ khác với loại được yêu cầu.
intake-delivery-not_live = Yêu cầu đã đóng ({ $status }); giấy tờ không được tiếp nhận.
intake-hub-bad_request = Dịch vụ chia sẻ không hiểu yêu cầu.
intake-hub-unauthorized = Dịch vụ chia sẻ không nhận diện được Quỹ (hãy kiểm tra token).
intake-hub-duplicate = Yêu cầu này đã được gửi.

## The card exchange with the bank, the personalizer and the certification centre (regulation 26-1, §IV).
card-party-fund = Quỹ Hưu trí
card-party-bank = Ngân hàng
card-party-personalizer = Đơn vị cá thể hóa
card-party-certification_centre = Trung tâm chứng thực khóa
card-not_found = Không có thẻ này trong số các thẻ mà tổ chức của bạn đang xử lý.
card-not_your_step = Bước “{ $event }” do một bên khác báo cáo, không phải “{ $party }”.
card-held = Đơn { $application } đang bị tạm giữ do kiểm tra trùng lặp: Quỹ trung ương sẽ cho tiếp tục (và đơn được chuyển đến ngân hàng) hoặc từ chối trên trang sản xuất.
card-not_a_card_step = “{ $event }” không phải là một bước trong quy trình trao đổi thẻ.
card-identification-mismatch = Không khớp với dữ liệu của Quỹ Hưu trí.
card-identification-required = Khi mở tài khoản và khi cấp thẻ, ngân hàng gửi dữ liệu nhận dạng của chủ thẻ.
card-issue-instruction_required = Hướng dẫn sử dụng thẻ được giao cho chủ thẻ cùng với thẻ.
card-identification-unmatched = Khóa chỉ được chứng thực sau khi dữ liệu nhận dạng của ngân hàng khớp với dữ liệu của Quỹ.
card-keys-too_few = Phải ghi ít nhất { $min } cặp khóa vào chip.
card-keys-too_many = Tối đa { $max } yêu cầu cho một thẻ.
card-keys-repeated = Khóa này đã có trong yêu cầu.
card-keys-invalid_request = Đây không phải là yêu cầu chứng thực tự ký chứng minh việc nắm giữ khóa.
card-keys-missing = Đơn vị cá thể hóa chưa gửi các yêu cầu chứng thực khóa của thẻ này.
card-number-invalid = Số thẻ gồm các nhóm chữ số, ngăn cách bằng một dấu cách hoặc dấu gạch nối, dài từ 4 đến 19 ký tự.
card-number-differs = Thẻ đã được cá thể hóa với một số khác: mặt sau thẻ in số đã được ghi nhận.
card-face-okzo_missing = Thẻ cần số phiếu đăng ký của người tham gia bảo hiểm (OKZO): hãy bổ sung vào sổ đăng ký.
card-face-photo_missing = Thẻ cần ảnh của người này (vùng 3): hãy tải ảnh lên hồ sơ.
card-face-signature_missing = Thẻ cần mẫu chữ ký của người này (vùng 6): hãy tải mẫu chữ ký lên hồ sơ.
card-face-unreadable = Dữ liệu cá thể hóa của thẻ này được ghi theo định dạng cũ; hãy gửi lại cho đơn vị cá thể hóa.
card-statement-invalid = Bản khai phải là báo cáo dưới dạng đối tượng JSON (sự kiện và dữ liệu của bước).
card-statement-other_card = Bản khai đã ký liên quan đến một thẻ khác.
card-partner_signature-invalid = Không xác minh được chữ ký: chữ ký không khớp với bản khai, hoặc chứng thư số không hợp lệ hay đã bị thu hồi.
card-partner_signature-not_yours = Bản khai được ký bằng chứng thư số mà trung tâm không cấp cho tổ chức của bạn để ký tài liệu.
card-partner_signature-required = Báo cáo của đối tác phải mang chữ ký riêng của tổ chức (bản khai và chữ ký).
card-seal_missing = Chưa cấu hình con dấu của Quỹ: không thể trao đổi với ngân hàng và đơn vị cá thể hóa.

## Refusals of the production rules (regulation 26-1, §§ I.4, III, V).
production-commission-too_few = Hội đồng tiêu hủy cần ít nhất { $min } thành viên.
production-commission-chair = Hội đồng do người đứng đầu cơ quan cấp địa phương làm chủ tịch.
production-commission-not_appointed = Có thành viên hội đồng chưa được bổ nhiệm theo quyết định vào ngày này.
production-act-unsigned = Chưa phải mọi thành viên hội đồng đều đã ký biên bản (còn thiếu { $count } chữ ký).
production-issue-identity_document = Hãy ghi nhận giấy tờ tùy thân của người nhận.
production-issue-status_document = Người đại diện theo pháp luật xuất trình giấy tờ chứng minh tư cách đại diện.
production-issue-tax_registration = Người đại diện là cư dân xuất trình giấy đăng ký thuế (RNOKPP).
production-batch-wrong_unit = Văn phòng này không gửi lô ở cấp này.
production-appointment-period = Thời gian bổ nhiệm không thể kết thúc trước khi bắt đầu.
production-appointment-fund_only = Việc bổ nhiệm theo quyết định chỉ thực hiện tại các văn phòng của Quỹ.
production-act-empty = Biên bản phải liệt kê ít nhất một giấy chứng nhận.
production-produce-nothing = Hãy chỉ rõ các giấy chứng nhận cần sản xuất, hoặc một lô.
production-act-wrong_direction = Biên bản giao nhận được lập từ Quỹ trung ương đến văn phòng chính cấp vùng, và từ văn phòng đó đến một văn phòng cấp huyện trực thuộc.
production-act-not_responsible = Biên bản do người chịu trách nhiệm của văn phòng, được bổ nhiệm theo quyết định, ký.
production-act-other_unit = Giấy chứng nhận { $certificate } thuộc về văn phòng khác.
production-act-wrong_stage = Giấy chứng nhận { $certificate } không thể đưa vào biên bản này ở giai đoạn hiện tại.
production-certificate-on_open_act = Giấy chứng nhận { $certificate } có trong biên bản chưa hoàn tất { $act }: cho đến khi biên bản đó hoàn tất, không thể làm gì khác với giấy chứng nhận này (không cấp, không chuyển, không đưa vào biên bản khác).
production-act-not_open = Biên bản đã đóng.
production-act-not_member = Chỉ thành viên hội đồng mới được ký biên bản.
production-issue-not_received = Giấy chứng nhận chưa được nhận theo biên bản vào sổ cấp phát.
production-issue-other_office = Giấy chứng nhận được cấp tại { $office }, văn phòng ghi trong đơn; cán bộ của văn phòng khác không thể cấp.
production-issue-signature = Cần có chữ ký của người nhận: đánh dấu xác nhận bằng thông tin đăng nhập của chuyên viên hoặc hình ảnh chữ ký.
production-hold-none = Giấy chứng nhận không bị tạm giữ do kiểm tra trùng lặp.

## What a citizen is told about a document in the making (tracking).
tracking-milestone-accepted = Đã tiếp nhận đơn
tracking-milestone-being_checked = Dữ liệu của bạn đang được kiểm tra
tracking-milestone-in_production = Đang sản xuất
tracking-milestone-on_its_way = Đã sản xuất xong, đang được chuyển đến văn phòng của bạn
tracking-milestone-ready = Sẵn sàng để nhận
tracking-milestone-issued = Đã cấp
tracking-milestone-activated = Thẻ đã được kích hoạt
tracking-milestone-blocked = Thẻ đã bị ngân hàng khóa
tracking-milestone-ended = Không còn sử dụng
tracking-milestone-application_withdrawn = Đơn đã được rút
tracking-milestone-refused = Không được sản xuất: vui lòng liên hệ văn phòng của bạn
tracking-milestone-consent_awaited = Đã có yêu cầu: đang chờ bạn đồng ý trong ví giấy tờ
tracking-milestone-being_delivered = Bạn đã đồng ý: bản sao đang được chuyển đến Quỹ
tracking-milestone-received = Quỹ đã nhận được giấy tờ của bạn
tracking-milestone-not_shared = Không được chia sẻ: bị từ chối hoặc không được trả lời kịp thời
tracking-milestone-not_received = Chưa nhận được: vui lòng hỏi tại văn phòng
tracking-estimate = Dự kiến sẵn sàng trước ngày { $date }
tracking-estimate_revised = Chúng tôi bị chậm trễ và xin lỗi bạn: nay dự kiến sẵn sàng trước ngày { $date }
tracking-number_format = Hãy nhập số đơn như trên giấy biên nhận của bạn, ví dụ: З-2026-0000042.
tracking-not_found = Không có giấy tờ nào khớp với số đơn và ngày sinh này. Hãy kiểm tra cả hai và thử lại.
tracking-limited = Tra cứu không thành công quá nhiều lần. Vui lòng thử lại sau.
tracking-birth_date_format = Hãy chọn ngày sinh của bạn.
tracking-code_invalid = Mã này không dùng được. Vui lòng nhập số đơn và ngày sinh của bạn.

## Notifications
notify-unavailable = Máy chủ này chưa thiết lập chức năng thông báo.
notify-channel_unavailable = Hình thức nhận thông báo này hiện không khả dụng.
notify-email_format = Hãy nhập địa chỉ e-mail, ví dụ: olena@example.org.
notify-link_invalid = Đường dẫn này không dùng được: đường dẫn đã được sử dụng, đã hết hạn hoặc chưa được sao chép đầy đủ.
notify-webhook_url = Hãy nhập đầy đủ địa chỉ https://… của hệ thống sẽ nhận các thông báo.
notify-too_many_pending = Có nhiều đăng ký theo dõi giấy tờ này vẫn đang chờ xác nhận. Hãy xác nhận một trong số đó hoặc thử lại sau.
notify-about_application = đơn { $case }
notify-about_document = giấy tờ “{ $type }” mà bạn đã chia sẻ từ ví giấy tờ của mình
notify-case_ended = Yêu cầu này đã kết thúc: sẽ không có thêm thông tin nào về yêu cầu này.
notify-not_dead = Chỉ có thể gửi lại thông báo chưa được chuyển đến người nhận.
vn_citizen_id-format = Số định danh cá nhân phải gồm { $len } chữ số.
vn_citizen_id-province = Ba chữ số đầu của số định danh cá nhân không phải là mã tỉnh, thành phố (001–096).
vn_citizen_id-birth_mismatch = Ngày sinh không khớp với số định danh cá nhân (số này ghi năm { $year }).
vn_citizen_id-sex_mismatch = Giới tính không khớp với số định danh cá nhân.
vn_insurance_code-format = Mã số bảo hiểm xã hội phải gồm { $len } chữ số.
digitization-agency_code = Mã cơ quan được viết như 000.00.31.H29: ba nhóm chữ số, sau đó là một chữ cái in hoa và hai chữ số.
digitization-dossier_code = Mã hồ sơ được viết như 000.00.31.H29-230405-0007: mã cơ quan, ngày tiếp nhận (YYMMDD) và số thứ tự trong ngày.
digitization-result_scheme_unclosed = Mẫu mã kết quả số hóa có dấu "{ "{" }" chưa được đóng.
digitization-result_scheme_placeholder = Mẫu mã kết quả số hóa chỉ được dùng { "{dossier}" }, { "{n}" } và { "{n:1}" }–{ "{n:4}" }.
digitization-result_scheme_characters = Ngoài các phần thay thế, mẫu mã kết quả số hóa chỉ được chứa chữ cái, chữ số, ".", "-" và "_".
digitization-result_scheme_once = Mẫu mã kết quả số hóa phải chứa { "{dossier}" } và { "{n}" }, mỗi phần đúng một lần.
digitization-result_scheme_length = Mẫu mã kết quả số hóa tạo ra mã dài hơn 64 ký tự.
digitization-day_full = Hôm nay cơ quan đã mở 9 999 hồ sơ — toàn bộ số thứ tự mà mã hồ sơ có trong một ngày.
scan-too_large = Trang quá lớn để xử lý: cạnh dài nhất tối đa { $max } điểm ảnh.
scan-too_small = Trang quá nhỏ, không thể đọc được chữ.
scan-no_resolution = Bản quét không ghi độ phân giải; hãy quét lại với độ phân giải từ { $min } dpi trở lên.
scan-low_resolution = Bản quét có độ phân giải { $dpi } dpi; cần tối thiểu { $min } dpi.
scan-needs_colour = Hãy quét màu: con dấu và chữ ký phải giữ nguyên màu.
scan-needs_grey = Hãy quét màu hoặc thang xám, không quét đen trắng.
digitization-birth_certificate_no = Số hiệu giấy khai sinh có dạng І-БК 123456: một chữ số La Mã, hai chữ cái, sáu chữ số.
digitization-name_letters = Họ tên chỉ được chứa chữ cái và dấu cách.
digitization-guessed_characters = Một số ký tự không phải chữ số đã được đọc thành chữ số; hãy đối chiếu với bản quét.
digitization-low_confidence = Độ tin cậy khi nhận dạng là { $confidence } %, quá thấp để chấp nhận mà không kiểm tra.
digitization-not_found = Không tìm thấy trên bản quét.
digitization-unzr_birth_mismatch = Ngày sinh không khớp với UNZR.
digitization-dossier_full = Hồ sơ đã có 9 999 tài liệu.
digitization-not_in_review = Trường này không chờ quyết định (đã được chấp nhận hoặc đã quyết định), hoặc không có giá trị đọc được để xác nhận — hãy nhập giá trị.
digitization-not_configured = Máy chủ này chưa thiết lập số hóa ([digitization] trong cấu hình).
digitization-procedure = Nhập mã thủ tục: chữ cái, chữ số, ".", "-" hoặc "_", tối đa 64 ký tự.
digitization-no_pages = Hãy thêm ít nhất một trang đã quét.
digitization-too_many_pages = Một tài liệu có tối đa { $max } trang.
scan-too_large_file = Tệp lớn hơn kích thước cho phép của một trang quét (30 MB).
scan-not_an_image = Tệp không phải là ảnh PNG, JPEG hoặc TIFF.
scan-damaged = Ảnh bị hỏng, không thể đọc được.

// Among the most frequent passwords of 10+ characters in public breach corpora (rockyou,
// SecLists top lists). Length alone lets these through, and they are the first guesses
// of any credential-stuffing run. Compared lower-cased, so "Password123" is caught too.
const LIST = [
  '0000000000', '0123456789', '0987654321', '1111111111', '1122334455', '1212121212', '1231231231', '123123123123',
  '1234512345', '1234554321', '1234567890', '12345678910', '1234567891', '123456789a', '123456789q', '123456qwerty',
  '12345abcde', '12345qwert', '123qweasdzxc', '1314520520', '1472583690', '1a2b3c4d5e', '1q2w3e4r1q2w3e4r', '1q2w3e4r5t',
  '1q2w3e4r5t6y', '1q2w3e4r5t6y7u8i', '1qaz2wsx3edc', '1qazxsw23edc', '2222222222', '5201314520', '5555555555', '6666666666',
  '7777777777', '8888888888', '9876543210', '9999999999', 'a123456789', 'a1b2c3d4e5', 'aaaaaaaaaa', 'abc1234567',
  'abcd123456', 'abcde12345', 'abcdefg123', 'abcdefghij', 'admin12345', 'admin123456', 'adminadmin', 'administrator',
  'arsenal123', 'asdfghjkl1', 'asdfghjkl123', 'barcelona1', 'baseball123', 'basketball', 'basketball1', 'basketball23',
  'butterfly1', 'butterfly123', 'changeme123', 'charlie123', 'chelsea123', 'chocolate1', 'chocolate123', 'computer123',
  'correcthorsebatterystaple', 'dragon1234', 'facebook123', 'football123', 'fortnite123', 'hello12345', 'hellohello', 'helloworld',
  'helloworld1', 'iloveyou12', 'iloveyou123', 'iloveyou1234', 'iloveyoubaby', 'jessica123', 'letmein123', 'letmein1234',
  'liverpool1', 'liverpool123', 'manchester', 'michael123', 'minecraft1', 'minecraft123', 'monkey1234', 'mypassword',
  'mypassword1', 'p@ssw0rd123', 'passw0rd123', 'password12', 'password123', 'password1234', 'password12345', 'passwordpassword',
  'playstation', 'pokemon123', 'princess123', 'q1w2e3r4t5', 'q1w2e3r4t5y6', 'qazwsxedc123', 'qazwsxedcrfv', 'qwe123qwe123',
  'qweasdzxc123', 'qwert12345', 'qwerty1234', 'qwerty12345', 'qwerty123456', 'qwertyqwerty', 'qwertyuiop', 'qwertyuiop123',
  'samsung123', 'secret1234', 'spiderman1', 'starwars123', 'strawberry', 'sunshine123', 'superman123', 'thisismypassword',
  'welcome123', 'welcome1234', 'whatever123', 'zaq1xsw2cde3', 'zxcvbnm123',
];

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST);

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}
